package io.qnsp.auth.token;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Keeps the authorization server's record of every token it issued (access and refresh tokens, authorization, device
 * and user codes, ID tokens) with each token's value replaced by its SHA-256 digest, so whoever reads the table cannot
 * use a token found there. Introspection, revocation and every other lookup give the token they were handed; it is
 * digested to find the record, and the record comes back holding that token's value again, as the authorization
 * server expects. The other tokens of a record stay digests, and a digest is never digested twice.
 * <p>
 * The digest is the one {@code V31__token_digests.sql} applies to records kept before, in SQL:
 * {@code 'sha256:' || encode(sha256(convert_to(value, 'UTF8')), 'hex')}.
 */
final class DigestedTokenAuthorizationService implements OAuth2AuthorizationService {

    static final String DIGEST_PREFIX = "sha256:";

    private static final List<Class<? extends OAuth2Token>> TOKEN_KINDS = List.of(OAuth2AuthorizationCode.class,
            OAuth2AccessToken.class, OAuth2RefreshToken.class, OidcIdToken.class, OAuth2UserCode.class,
            OAuth2DeviceCode.class);

    private final OAuth2AuthorizationService store;

    DigestedTokenAuthorizationService(OAuth2AuthorizationService store) {
        this.store = store;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        store.save(withValues(authorization, value -> value.startsWith(DIGEST_PREFIX) ? value : digest(value)));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        store.remove(authorization);
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return store.findById(id);
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType != null && OAuth2ParameterNames.STATE.equals(tokenType.getValue())) {
            // the state a client sent with an authorization request is no credential and is kept as sent
            return store.findByToken(token, tokenType);
        }
        String digest = digest(token);
        OAuth2Authorization found = store.findByToken(digest, tokenType);
        if (found == null) {
            return tokenType == null ? store.findByToken(token, new OAuth2TokenType(OAuth2ParameterNames.STATE)) : null;
        }
        return withValues(found, value -> value.equals(digest) ? token : value);
    }

    /** SHA-256 of the token's UTF-8 bytes, in hex, after {@link #DIGEST_PREFIX}. */
    static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return DIGEST_PREFIX + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The authorization with each token's value changed, its metadata (claims, invalidation) kept. */
    private static OAuth2Authorization withValues(OAuth2Authorization authorization, UnaryOperator<String> change) {
        OAuth2Authorization.Builder changed = OAuth2Authorization.from(authorization);
        for (Class<? extends OAuth2Token> kind : TOKEN_KINDS) {
            OAuth2Authorization.Token<? extends OAuth2Token> held = authorization.getToken(kind);
            if (held == null) {
                continue;
            }
            OAuth2Token token = held.getToken();
            String value = change.apply(token.getTokenValue());
            if (!value.equals(token.getTokenValue())) {
                changed.token(withValue(token, value), metadata -> {
                    metadata.clear();
                    metadata.putAll(held.getMetadata());
                });
            }
        }
        return changed.build();
    }

    private static OAuth2Token withValue(OAuth2Token token, String value) {
        return switch (token) {
            case OAuth2AccessToken access -> new OAuth2AccessToken(access.getTokenType(), value, access.getIssuedAt(),
                    access.getExpiresAt(), access.getScopes());
            case OAuth2RefreshToken refresh -> new OAuth2RefreshToken(value, refresh.getIssuedAt(),
                    refresh.getExpiresAt());
            case OAuth2AuthorizationCode code -> new OAuth2AuthorizationCode(value, code.getIssuedAt(),
                    code.getExpiresAt());
            case OidcIdToken id -> new OidcIdToken(value, id.getIssuedAt(), id.getExpiresAt(), id.getClaims());
            case OAuth2UserCode user -> new OAuth2UserCode(value, user.getIssuedAt(), user.getExpiresAt());
            case OAuth2DeviceCode device -> new OAuth2DeviceCode(value, device.getIssuedAt(), device.getExpiresAt());
            default -> throw new IllegalArgumentException("no digest kept for tokens of kind " + token.getClass());
        };
    }
}
