package io.qnsp.kms.key;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a key may be used for; fixed at creation (a key used both ways weakens both). */
public enum KeyUsage {
    /** encrypt, decrypt and generate-data-key */
    ENCRYPT_DECRYPT("encrypt_decrypt"),
    /** sign and verify */
    SIGN_VERIFY("sign_verify"),
    /** encapsulate and decapsulate, plus encrypt, decrypt and generate-data-key through a hybrid KEM-DEM scheme */
    KEY_ENCAPSULATION("key_encapsulation");

    private final String apiName;

    KeyUsage(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static KeyUsage fromApiName(String name) {
        for (KeyUsage usage : values()) {
            if (usage.apiName.equals(name)) {
                return usage;
            }
        }
        return null;
    }

    /** Whether encrypt, decrypt and generate-data-key are allowed. */
    boolean encrypts() {
        return this == ENCRYPT_DECRYPT || this == KEY_ENCAPSULATION;
    }
}
