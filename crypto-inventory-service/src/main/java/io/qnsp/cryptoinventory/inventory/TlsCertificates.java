package io.qnsp.cryptoinventory.inventory;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The TLS certificates the platform is given (PEM files named in {@code qnsp.crypto-inventory.tls-certificates}),
 * read once at startup: a file that cannot be read or holds no certificate stops the service from starting.
 */
@Component
class TlsCertificates {

    private final List<X509Certificate> certificates;

    TlsCertificates(InventorySettings settings) {
        List<X509Certificate> read = new ArrayList<>();
        for (String file : settings.tlsCertificates()) {
            read.addAll(read(Path.of(file)));
        }
        this.certificates = List.copyOf(read);
    }

    private static List<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> found = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                found.add((X509Certificate) c);
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("qnsp.crypto-inventory.tls-certificates: " + file
                        + " holds no certificate");
            }
            return found;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("qnsp.crypto-inventory.tls-certificates: " + file
                    + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }

    List<CryptoAsset> assets(Instant now) {
        return certificates.stream().map(c -> asset(c, now)).toList();
    }

    private static CryptoAsset asset(X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        return new CryptoAsset("tls:" + fingerprint(certificate), CryptoAsset.TLS_CERTIFICATE,
                certificate.getSubjectX500Principal().getName(), algorithm(certificate.getPublicKey()), List.of(),
                notAfter.isAfter(now) ? "active" : "expired", "signing",
                certificate.getNotBefore().toInstant(), null, notAfter);
    }

    static String algorithm(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "EC-P" + bits;
        }
        return key.getAlgorithm();
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
