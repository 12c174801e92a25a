package io.qnsp.common.kms;

/**
 * A data key as kms-service hands it out: the 32-byte AES key, and the same key as kms-service encrypted it (base64),
 * which is what is stored beside the data it protects. The plaintext must never be stored or logged.
 */
public record DataKey(byte[] plaintext, String wrapped) {

    @Override
    public String toString() {
        return "DataKey[plaintext=***, wrapped=" + wrapped + "]";
    }
}
