package io.qnsp.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.qnsp.auth.AuthSettings;
import io.qnsp.common.crypto.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The token signing keys: persisted (private parts sealed) so tokens stay valid across restarts, replaced when
 * older than {@code qnsp.auth.signing-key-rotation}. The newest key signs; the JWKS publishes it and the one before
 * it, so tokens signed just before a rotation keep validating until they expire. Every instance re-reads the keys
 * each minute, so a rotation made by one instance reaches the others.
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final long ROTATION_LOCK = 0x716e73705f6b6579L;
    private static final Duration RELOAD_INTERVAL = Duration.ofMinutes(1);

    /** The signing key and the one it replaced, newest first. */
    record KeyRing(List<RSAKey> keys, Instant newestCreatedAt, Instant loadedAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SecretBox box;
    private final Duration rotationAge;
    private final Clock clock;
    private volatile KeyRing ring;

    SigningKeys(JdbcTemplate jdbc, TransactionTemplate transactions, AuthSettings settings, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.box = SecretBox.fromBase64Key(settings.signingKeyEncryptionKey(),
                "qnsp.auth.signing-key-encryption-key", "qnsp-auth-signing-key-v1");
        this.rotationAge = settings.signingKeyRotation();
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The key that signs new tokens (with its private part). */
    public RSAKey signingKey() {
        return ring().keys().getFirst();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(new JWKSet(new ArrayList<>(ring().keys())));
    }

    /** Creates a new signing key now; the current one stays published as the previous key. */
    public RSAKey rotate() {
        transactions.executeWithoutResult(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
            insertNewKey();
        });
        ring = load();
        log.info("signing key rotated; now signing with {}", signingKey().getKeyID());
        return signingKey();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1H")
    void rotateWhenDue() {
        boolean rotated = Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
            Instant newest = newestCreatedAt();
            if (newest == null || newest.plus(rotationAge).isBefore(clock.instant())) {
                insertNewKey();
                return true;
            }
            return false;
        }));
        ring = load();
        if (rotated) {
            log.info("signing key reached its rotation age; now signing with {}", signingKey().getKeyID());
        }
    }

    private KeyRing ring() {
        KeyRing current = ring;
        if (current == null || current.loadedAt().plus(RELOAD_INTERVAL).isBefore(clock.instant())) {
            synchronized (this) {
                current = ring;
                if (current == null || current.loadedAt().plus(RELOAD_INTERVAL).isBefore(clock.instant())) {
                    current = load();
                    if (current.keys().isEmpty()) {
                        transactions.executeWithoutResult(status -> {
                            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
                            if (newestCreatedAt() == null) {
                                insertNewKey();
                            }
                        });
                        current = load();
                    }
                    ring = current;
                }
            }
        }
        return current;
    }

    private Instant newestCreatedAt() {
        List<Timestamp> newest = jdbc.queryForList("SELECT max(created_at) FROM signing_key", Timestamp.class);
        return newest.isEmpty() || newest.getFirst() == null ? null : newest.getFirst().toInstant();
    }

    private void insertNewKey() {
        try {
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
            jdbc.update("INSERT INTO signing_key (kid, algorithm, public_key, private_key_ciphertext, created_at)"
                            + " VALUES (?, ?, ?, ?, ?)", key.getKeyID(), JWSAlgorithm.RS256.getName(),
                    key.toRSAPublicKey().getEncoded(), box.seal(key.toRSAPrivateKey().getEncoded()),
                    Timestamp.from(clock.instant()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a signing key", e);
        }
    }

    private KeyRing load() {
        List<RSAKey> keys = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        jdbc.query("SELECT kid, public_key, private_key_ciphertext, created_at FROM signing_key"
                + " ORDER BY created_at DESC, kid LIMIT 2", rs -> {
            String kid = rs.getString(1);
            try {
                KeyFactory factory = KeyFactory.getInstance("RSA");
                RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(rs.getBytes(2)));
                RSAKey.Builder builder = new RSAKey.Builder(publicKey).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256);
                if (keys.isEmpty()) {
                    // only the newest key signs, so only it needs its private part in memory
                    builder.privateKey((RSAPrivateKey) factory.generatePrivate(
                            new PKCS8EncodedKeySpec(box.open(rs.getBytes(3)))));
                }
                keys.add(builder.build());
                created.add(rs.getTimestamp(4).toInstant());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("stored signing key " + kid + " is unreadable", e);
            }
        });
        return new KeyRing(List.copyOf(keys), created.isEmpty() ? null : created.getFirst(), clock.instant());
    }
}
