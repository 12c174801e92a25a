package io.qnsp.common.kms;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * kms-service as a service sees it: one AES-256-GCM key, made on first use, under which data keys are generated
 * and later decrypted. The service calls with its own token (client credentials at auth-service), and binds every
 * data key to itself and to the tenant it is for through the encryption context, so a data key of one tenant (or
 * one service) cannot be opened as another's.
 */
final class KmsDataKeys {

    static final String KMS = "kms-service";
    private static final String REGISTRATION = "kms";
    private static final Logger log = LoggerFactory.getLogger(KmsDataKeys.class);

    private final RestClient kms;
    private final KmsKeyBinding binding;
    private final KmsClientProperties settings;

    KmsDataKeys(KmsClientProperties settings, KmsKeyBinding binding) {
        this.settings = settings;
        this.binding = binding;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout()).build());
        requests.setReadTimeout(settings.readTimeout());
        OAuth2ClientHttpRequestInterceptor token = new OAuth2ClientHttpRequestInterceptor(tokens(settings, requests));
        token.setClientRegistrationIdResolver(request -> REGISTRATION);
        // one token for the service itself, whoever the request being served is for
        Authentication self = new AnonymousAuthenticationToken(settings.clientId(), settings.clientId(),
                AuthorityUtils.createAuthorityList("ROLE_SERVICE"));
        token.setPrincipalResolver(request -> self);
        this.kms = RestClient.builder().baseUrl(settings.url().toString()).requestFactory(requests)
                .requestInterceptor(token).build();
    }

    private static AuthorizedClientServiceOAuth2AuthorizedClientManager tokens(KmsClientProperties settings,
                                                                               JdkClientHttpRequestFactory requests) {
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .tokenUri(settings.tokenUri().toString())
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("kms:read", "kms:write", "kms:use")
                .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        RestClientClientCredentialsTokenResponseClient tokenClient = new RestClientClientCredentialsTokenResponseClient();
        tokenClient.setRestClient(RestClient.builder().requestFactory(requests)
                .messageConverters(List.of(new FormHttpMessageConverter(),
                        new OAuth2AccessTokenResponseHttpMessageConverter()))
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler()).build());
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations,
                        new InMemoryOAuth2AuthorizedClientService(registrations));
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(credentials -> credentials.accessTokenResponseClient(tokenClient)).build());
        return manager;
    }

    /** A fresh data key for the tenant. */
    DataKey generate(String tenantId) {
        return call(() -> {
            UUID keyId = keyId();
            JsonNode answer;
            try {
                answer = post("/kms/v1/keys/" + keyId + "/generate-data-key",
                        Map.of("keySpec", "AES_256", "encryptionContext", context(tenantId)));
            } catch (HttpStatusCodeException e) {
                if (e.getStatusCode().value() != 404) {
                    throw e;
                }
                // the key was deleted at kms-service: values sealed under it are lost, new ones get a new key
                log.warn("the KMS key {} of {} no longer exists at {}; making a new one", keyId, settings.service(),
                        KMS);
                binding.forget(settings.effectiveKeyName(), keyId);
                answer = post("/kms/v1/keys/" + keyId() + "/generate-data-key",
                        Map.of("keySpec", "AES_256", "encryptionContext", context(tenantId)));
            }
            return new DataKey(Base64.getDecoder().decode(answer.get("plaintext").asString()),
                    answer.get("ciphertext").asString());
        });
    }

    /** The plaintext of a data key {@link #generate} made for the tenant. */
    byte[] open(String tenantId, String wrapped) {
        return call(() -> Base64.getDecoder().decode(post("/kms/v1/decrypt",
                Map.of("ciphertext", wrapped, "encryptionContext", context(tenantId))).get("plaintext").asString()));
    }

    private Map<String, String> context(String tenantId) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("service", settings.service());
        context.put("tenant", tenantId);
        return context;
    }

    /** The KMS key's id: recorded once made, made (or found by its name) on first use. */
    private UUID keyId() {
        String keyName = settings.effectiveKeyName();
        UUID known = binding.find(keyName);
        if (known != null) {
            return known;
        }
        UUID made;
        try {
            made = UUID.fromString(post("/kms/v1/keys", Map.of("name", keyName, "algorithm", "AES-256-GCM",
                    "description", "wraps the data keys of " + settings.service() + "-service")).get("keyId")
                    .asString());
        } catch (HttpStatusCodeException e) {
            if (e.getStatusCode().value() != 409) {
                throw e;
            }
            made = findByName(keyName);
        }
        return binding.record(keyName, made);
    }

    private UUID findByName(String name) {
        for (int offset = 0; ; offset += 100) {
            JsonNode page = kms.get().uri("/kms/v1/keys?limit=100&offset={offset}", offset).retrieve()
                    .body(JsonNode.class);
            for (JsonNode key : page.get("keys")) {
                if (key.get("name").asString().equalsIgnoreCase(name)) {
                    return UUID.fromString(key.get("keyId").asString());
                }
            }
            if (page.get("keys").size() < 100) {
                throw new IllegalStateException("kms-service says a key named " + name + " exists but lists none");
            }
        }
    }

    private JsonNode post(String path, Object body) {
        return kms.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(JsonNode.class);
    }

    /** Every way kms-service or auth-service can fail the service ends as {@link DependencyDown}. */
    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException e) {
            log.warn("{} cannot be reached: {}", KMS, e.getMessage());
            throw new DependencyDown(KMS, "cannot be reached");
        } catch (HttpStatusCodeException e) {
            HttpStatusCode status = e.getStatusCode();
            if (status.value() == 401 || status.value() == 403) {
                log.error("{} refused the token of {} ({}): check its client {} at auth-service and the client's "
                        + "kms scopes", KMS, settings.service(), status, settings.clientId());
                throw new DependencyDown(KMS, "refused the service's credentials");
            }
            log.warn("{} answered {}", KMS, status);
            throw new DependencyDown(KMS, "answered " + status.value());
        } catch (OAuth2AuthorizationException e) {
            log.error("the token of {} for {} could not be fetched: {}", settings.service(), KMS, describe(e));
            throw new DependencyDown("auth-service", "did not issue the service's token");
        } catch (RestClientException e) {
            log.warn("{} gave an answer that cannot be read: {}", KMS, e.getMessage());
            throw new DependencyDown(KMS, "gave an unreadable answer");
        }
    }

    private static String describe(RuntimeException e) {
        @Nullable Throwable cause = e.getCause();
        return e.getMessage() + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
    }
}
