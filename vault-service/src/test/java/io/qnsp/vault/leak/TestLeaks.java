package io.qnsp.vault.leak;

import io.qnsp.vault.leak.detect.Entropy;
import io.qnsp.vault.leak.detect.Tokens;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Values that leak, and ordinary code that must not look like a leak, for the leak detection tests. */
public final class TestLeaks {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private TestLeaks() {
    }

    /** An AWS-style access key id: AKIA and 16 upper-case letters and digits, new each time. */
    public static String awsAccessKeyId() {
        StringBuilder key = new StringBuilder("AKIA");
        for (int i = 0; i < 16; i++) {
            key.append(UPPER_DIGITS.charAt(RANDOM.nextInt(UPPER_DIGITS.length())));
        }
        return key.toString();
    }

    /** A real RSA private key in PEM (PKCS#8), new each time. */
    public static String privateKeyPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair()
                    .getPrivate().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 32 random bytes as base64url: a token of 43 characters well above 4.5 bits of entropy per character. */
    public static String highEntropyToken() {
        while (true) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (Entropy.bitsPerChar(token) >= 4.8 && token.matches(".*[0-9].*") && token.matches(".*[A-Za-z].*")
                    && !token.startsWith("-") && token.chars().allMatch(c -> c != '-' && c != '_')) {
                return token;
            }
        }
    }

    /** A password like the vault's password generator makes (letters, digits and -_.~!#%+), 32 characters. */
    public static String password() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!#%+";
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    /**
     * A password as {@link #password()} makes, drawn until no pattern rule could find it on its own: no run of the
     * token alphabet is long enough to be an entropy candidate, so only its being a stored value finds it.
     */
    public static String passwordNoPatternFinds() {
        while (true) {
            String password = password();
            if (Tokens.entropyTokens(password).isEmpty()) {
                return password;
            }
        }
    }

    /**
     * Ordinary code: long identifiers, imports, paths, URLs, a UUID, a commit id, a version string, a base64 word
     * of a few characters, placeholders and assignments of references, none of which is a secret.
     */
    public static final String ORDINARY_CODE = """
            package com.example.billing.internal.reconciliation;

            import java.util.concurrent.ConcurrentHashMap;
            import org.springframework.beans.factory.annotation.Autowired;
            import org.springframework.transaction.annotation.Transactional;

            /** Reconciles ledger entries with the payment provider's settlement reports. */
            public class SettlementReconciliationServiceImplementation extends AbstractReconciliationService {

                private static final String REPORT_PATH = "src/main/resources/reports/settlement-2024-03-31.csv";
                private static final String DOCS = "https://docs.example.com/billing/v2/reconciliation#settlements";
                private static final String TRACE_ID = "123e4567-e89b-12d3-a456-426614174000";
                private static final String BUILD_COMMIT = "9fceb02d0ae598e95dc970b74767f19372d61af8";
                private static final String USER_AGENT = "billing-service/4.12.7 (linux; amd64)";
                private static final String PADDING = "QUJD";

                private final ConcurrentHashMap<String, LedgerEntryReconciliationResult> resultsByInvoiceNumber =
                        new ConcurrentHashMap<>();
                private String password = configuration.getDatabasePassword();
                private String apiKey = "${BILLING_API_KEY}";

                @Autowired
                private SettlementReportRepositoryFactoryBean settlementReportRepositoryFactoryBean;

                @Transactional
                public ReconciliationSummary reconcileSettlementReportForMerchantAccount(String merchantAccountId) {
                    var entries = ledgerEntryRepository.findAllByMerchantAccountIdOrderByCreatedAtAsc(merchantAccountId);
                    for (LedgerEntry entry : entries) {
                        resultsByInvoiceNumber.put(entry.invoiceNumber(), compareWithSettlement(entry));
                    }
                    return ReconciliationSummary.from(resultsByInvoiceNumber.values(), 0.0001, 1_000_000L);
                }
            }
            """;
}
