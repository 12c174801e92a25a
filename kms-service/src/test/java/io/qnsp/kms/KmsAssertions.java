package io.qnsp.kms;

import java.util.Base64;

/** What kms-service tests share besides the answer and error checks of ApiAssertions. */
public final class KmsAssertions {

    private KmsAssertions() {
    }

    public static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
