package io.qnsp.kms;

import io.qnsp.kms.key.KeyAlgorithm;

import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a key's material that are secret, for the exposure tests' {@link io.qnsp.test.secrets.SecretSearch}. */
public final class KeyMaterialParts {

    private KeyMaterialParts() {
    }

    /**
     * The secret parts of a key's material: a private key's encoding also holds public values (an RSA modulus, the
     * ML-KEM encapsulation key, ML-DSA's rho) that are rightly stored with the public key.
     */
    public static Map<String, byte[]> secretParts(KeyAlgorithm algorithm, byte[] material) throws Exception {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        switch (algorithm) {
            case AES_256_GCM -> parts.put("key", material);
            case RSA_3072 -> {
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(material));
                parts.put("private exponent", key.getPrivateExponent().toByteArray());
                parts.put("prime p", key.getPrimeP().toByteArray());
                parts.put("prime q", key.getPrimeQ().toByteArray());
            }
            case EC_P256 -> parts.put("private scalar", ((ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(material))).getS().toByteArray());
            case ML_KEM_768 -> {
                // FIPS 203 decapsulation key: dk_PKE (1152) || ek (1184) || H(ek) (32) || z (32), at the encoding's end
                byte[] expanded = Arrays.copyOfRange(material, material.length - 2400, material.length);
                parts.put("dk_PKE", Arrays.copyOfRange(expanded, 0, 1152));
                parts.put("z", Arrays.copyOfRange(expanded, 2368, 2400));
            }
            case ML_DSA_65 -> {
                // FIPS 204 private key: rho (32) || K (32) || tr (64) || s1 || s2 || t0, at the encoding's end
                byte[] expanded = Arrays.copyOfRange(material, material.length - 4032, material.length);
                parts.put("K", Arrays.copyOfRange(expanded, 32, 64));
                parts.put("s1 s2 t0", Arrays.copyOfRange(expanded, 128, 4032));
            }
        }
        return parts;
    }
}
