package io.qnsp.auth.token;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Documents the OAuth2 authorization server's endpoints, which Spring Authorization Server serves from security
 * filters rather than controllers, so springdoc does not see them: the token endpoint (client credentials),
 * token introspection and revocation, the JWKS and the discovery metadata. Each is described as the server really
 * answers, errors in the OAuth2 format of RFC 6749 §5.2 ({@code {error, error_description, error_uri}}), not the
 * platform's.
 */
@Component
class AuthorizationServerDocumentation implements OpenApiCustomizer {

    /** HTTP Basic with the client id and secret ({@code client_secret_basic}). */
    static final String CLIENT_BASIC = "clientBasic";

    private static final String TAG = "OAuth2 authorization server";
    private static final String FORM = org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED_VALUE;
    private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

    private static final String TOKEN_REQUEST = "OAuth2TokenRequest";
    private static final String TOKEN_RESPONSE = "OAuth2TokenResponse";
    private static final String ERROR = "OAuth2Error";
    private static final String INTROSPECTION_REQUEST = "OAuth2TokenIntrospectionRequest";
    private static final String INTROSPECTION = "OAuth2TokenIntrospection";
    private static final String REVOCATION_REQUEST = "OAuth2TokenRevocationRequest";
    private static final String KEY_SET = "JsonWebKeySet";
    private static final String KEY = "JsonWebKey";
    private static final String SERVER_METADATA = "AuthorizationServerMetadata";
    private static final String PROVIDER_METADATA = "OpenIdProviderMetadata";

    private static final String CLIENT_AUTHENTICATION = "The client authenticates with HTTP Basic (client_secret_basic)"
            + " or with client_id and client_secret in the form (client_secret_post); the empty security requirement"
            + " stands for the latter, which OpenAPI cannot name as a scheme. Without valid client credentials the"
            + " answer is 401 invalid_client.";

    private final AuthorizationServerSettings settings;

    AuthorizationServerDocumentation(AuthorizationServerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Components components = openApi.getComponents();
        components.addSecuritySchemes(CLIENT_BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("basic").description("An OAuth2 client's id and secret (client_secret_basic)"));
        schemas().forEach(components::addSchemas);
        openApi.addTagsItem(new Tag().name(TAG).description("Access tokens for clients (RFC 6749 client"
                + " credentials), their introspection (RFC 7662) and revocation (RFC 7009), the keys that verify them"
                + " and the server's metadata (RFC 8414, OpenID Connect Discovery)"));

        openApi.path(settings.getTokenEndpoint(), new PathItem().post(operation("issueAccessToken",
                "Issue an access token (client credentials grant)",
                "The token is an RS256-signed JWT carrying the client's tenant, roles and scopes (all the client is"
                        + " registered for when it asks for none). " + CLIENT_AUTHENTICATION)
                .security(clientAuthentication())
                .requestBody(form(TOKEN_REQUEST))
                .responses(new ApiResponses()
                        .addApiResponse("200", json("The access token", TOKEN_RESPONSE))
                        .addApiResponse("400", json("invalid_request (e.g. no grant_type), unsupported_grant_type,"
                                + " invalid_scope (a scope the client is not registered for)", ERROR))
                        .addApiResponse("401", json("invalid_client: no, unknown or wrong client credentials",
                                ERROR)))));

        openApi.path(settings.getTokenIntrospectionEndpoint(), new PathItem().post(operation("introspectToken",
                "Introspect a token",
                "Whether a token this server issued to a client is active, and its claims if so; any other token,"
                        + " an expired or a revoked one is {\"active\": false}. " + CLIENT_AUTHENTICATION)
                .security(clientAuthentication())
                .requestBody(form(INTROSPECTION_REQUEST))
                .responses(new ApiResponses()
                        .addApiResponse("200", json("The token's state", INTROSPECTION))
                        .addApiResponse("400", json("invalid_request: no token", ERROR))
                        .addApiResponse("401", json("invalid_client: no, unknown or wrong client credentials",
                                ERROR)))));

        openApi.path(settings.getTokenRevocationEndpoint(), new PathItem().post(operation("revokeToken",
                "Revoke a token",
                "Marks a token issued to the calling client as revoked: introspection reports it inactive from"
                        + " then on. Resource servers verify access tokens by signature alone, so they accept it"
                        + " until it expires. An unknown token is accepted as well (RFC 7009 §2.2). "
                        + CLIENT_AUTHENTICATION)
                .security(clientAuthentication())
                .requestBody(form(REVOCATION_REQUEST))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("Revoked, or not a token of this"
                                + " client; no body"))
                        .addApiResponse("400", json("invalid_request: no token", ERROR))
                        .addApiResponse("401", json("invalid_client: no, unknown or wrong client credentials",
                                ERROR)))));

        openApi.path(settings.getJwkSetEndpoint(), new PathItem().get(operation("getJsonWebKeySet",
                "The public keys that verify access tokens",
                "The newest two signing keys; pick the one named by a token's kid.")
                .security(new ArrayList<>())
                .responses(new ApiResponses().addApiResponse("200", json("The key set (RFC 7517)", KEY_SET)))));

        openApi.path("/.well-known/oauth-authorization-server", new PathItem().get(operation(
                "getAuthorizationServerMetadata", "The authorization server's metadata (RFC 8414)",
                "Announces the issuer and the endpoints. It lists what Spring Authorization Server supports; the"
                        + " platform's clients are registered for the client credentials grant only.")
                .security(new ArrayList<>())
                .responses(new ApiResponses().addApiResponse("200", json("The metadata", SERVER_METADATA)))));

        openApi.path("/.well-known/openid-configuration", new PathItem().get(operation(
                "getOpenIdConfiguration", "The OpenID Connect provider configuration",
                "The authorization server's metadata with the OpenID Connect Discovery 1.0 additions.")
                .security(new ArrayList<>())
                .responses(new ApiResponses().addApiResponse("200", json("The configuration",
                        PROVIDER_METADATA)))));
    }

    private static Operation operation(String id, String summary, String description) {
        return new Operation().operationId(id).summary(summary).description(description).addTagsItem(TAG);
    }

    private static List<SecurityRequirement> clientAuthentication() {
        List<SecurityRequirement> security = new ArrayList<>();
        security.add(new SecurityRequirement().addList(CLIENT_BASIC));
        security.add(new SecurityRequirement());
        return security;
    }

    private static RequestBody form(String schema) {
        return new RequestBody().required(true).content(new Content().addMediaType(FORM,
                new MediaType().schema(ref(schema))));
    }

    private static ApiResponse json(String description, String schema) {
        return new ApiResponse().description(description).content(new Content().addMediaType(JSON,
                new MediaType().schema(ref(schema))));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(Components.COMPONENTS_SCHEMAS_REF + name);
    }

    private static Map<String, Schema> schemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(TOKEN_REQUEST, object("A token request (RFC 6749 §4.4.2).", List.of("grant_type"))
                .addProperty("grant_type", new StringSchema()._enum(List.of("client_credentials")))
                .addProperty("scope", new StringSchema().description("Space-separated scopes, a subset of those"
                        + " the client is registered for; all of them when left out"))
                .addProperty("client_id", clientId())
                .addProperty("client_secret", clientSecret()));
        schemas.put(TOKEN_RESPONSE, object("An access token (RFC 6749 §5.1).",
                List.of("access_token", "token_type", "expires_in"))
                .addProperty("access_token", new StringSchema().description("A JWT"))
                .addProperty("token_type", new StringSchema()._enum(List.of("Bearer")))
                .addProperty("expires_in", new IntegerSchema().description("Seconds until the token expires"))
                .addProperty("scope", new StringSchema().description("The granted scopes, space-separated; only"
                        + " when the request named scopes")));
        schemas.put(ERROR, object("An OAuth2 error (RFC 6749 §5.2).", List.of("error"))
                .addProperty("error", new StringSchema().description("e.g. invalid_request, invalid_client,"
                        + " unsupported_grant_type, invalid_scope"))
                .addProperty("error_description", new StringSchema().description("For the developer, e.g. the"
                        + " parameter at fault"))
                .addProperty("error_uri", new StringSchema().format("uri").description("The specification"
                        + " section that defines the error")));
        schemas.put(INTROSPECTION_REQUEST, tokenReference("A token to introspect (RFC 7662 §2.1)."));
        schemas.put(REVOCATION_REQUEST, tokenReference("A token to revoke (RFC 7009 §2.1)."));
        schemas.put(INTROSPECTION, object("A token's state (RFC 7662 §2.2): only active when it is not; its"
                + " claims when it is.", List.of("active"))
                .addProperty("active", new BooleanSchema())
                .addProperty("client_id", new StringSchema())
                .addProperty("token_type", new StringSchema()._enum(List.of("Bearer")))
                .addProperty("scope", new StringSchema().description("Space-separated"))
                .addProperty("sub", new StringSchema())
                .addProperty("aud", strings())
                .addProperty("iss", new StringSchema().format("uri"))
                .addProperty("jti", new StringSchema())
                .addProperty("iat", epochSeconds())
                .addProperty("nbf", epochSeconds())
                .addProperty("exp", epochSeconds())
                .addProperty("tenant_id", new StringSchema().description("The client's tenant"))
                .addProperty("roles", strings().description("The client's platform roles"))
                .addProperty("addons", strings().description("The tenant's add-ons"))
                .addProperty("plan", new StringSchema().description("The tenant's plan"))
                .addProperty("quotas", new ObjectSchema().additionalProperties(
                        new IntegerSchema().format("int64")).description("The tenant's quota overrides")));
        schemas.put(KEY_SET, object("A JSON Web Key Set (RFC 7517 §5).", List.of("keys"))
                .addProperty("keys", new ArraySchema().items(ref(KEY))));
        schemas.put(KEY, object("A public RSA signing key (RFC 7517, RFC 7518 §6.3).",
                List.of("kty", "use", "kid", "alg", "n", "e"))
                .addProperty("kty", new StringSchema()._enum(List.of("RSA")))
                .addProperty("use", new StringSchema()._enum(List.of("sig")))
                .addProperty("kid", new StringSchema())
                .addProperty("alg", new StringSchema()._enum(List.of("RS256")))
                .addProperty("n", new StringSchema().description("Modulus, base64url"))
                .addProperty("e", new StringSchema().description("Exponent, base64url")));
        schemas.put(SERVER_METADATA, serverMetadata("Authorization server metadata (RFC 8414 §2).", false));
        schemas.put(PROVIDER_METADATA, serverMetadata("OpenID Provider metadata (OpenID Connect Discovery 1.0"
                + " §3).", true));
        return schemas;
    }

    private static Schema<Object> serverMetadata(String description, boolean openId) {
        List<String> required = new ArrayList<>(List.of("issuer", "authorization_endpoint", "token_endpoint",
                "token_endpoint_auth_methods_supported", "jwks_uri", "response_types_supported",
                "grant_types_supported", "revocation_endpoint", "revocation_endpoint_auth_methods_supported",
                "introspection_endpoint", "introspection_endpoint_auth_methods_supported",
                "code_challenge_methods_supported", "tls_client_certificate_bound_access_tokens",
                "dpop_signing_alg_values_supported"));
        Schema<Object> schema = object(description, required)
                .addProperty("issuer", uri())
                .addProperty("authorization_endpoint", uri())
                .addProperty("token_endpoint", uri())
                .addProperty("token_endpoint_auth_methods_supported", strings())
                .addProperty("jwks_uri", uri())
                .addProperty("response_types_supported", strings())
                .addProperty("grant_types_supported", strings())
                .addProperty("revocation_endpoint", uri())
                .addProperty("revocation_endpoint_auth_methods_supported", strings())
                .addProperty("introspection_endpoint", uri())
                .addProperty("introspection_endpoint_auth_methods_supported", strings())
                .addProperty("code_challenge_methods_supported", strings())
                .addProperty("tls_client_certificate_bound_access_tokens", new BooleanSchema())
                .addProperty("dpop_signing_alg_values_supported", strings());
        if (openId) {
            schema.addProperty("userinfo_endpoint", uri())
                    .addProperty("end_session_endpoint", uri())
                    .addProperty("subject_types_supported", strings())
                    .addProperty("id_token_signing_alg_values_supported", strings())
                    .addProperty("scopes_supported", strings());
            required.addAll(List.of("userinfo_endpoint", "end_session_endpoint", "subject_types_supported",
                    "id_token_signing_alg_values_supported", "scopes_supported"));
        }
        schema.setRequired(required);
        return schema;
    }

    private static Schema<Object> tokenReference(String description) {
        return object(description, List.of("token"))
                .addProperty("token", new StringSchema())
                .addProperty("token_type_hint", new StringSchema()._enum(List.of("access_token", "refresh_token")))
                .addProperty("client_id", clientId())
                .addProperty("client_secret", clientSecret());
    }

    private static Schema<?> clientId() {
        return new StringSchema().description("Only for client_secret_post, instead of HTTP Basic");
    }

    private static Schema<?> clientSecret() {
        return new StringSchema().format("password").description("Only for client_secret_post, instead of HTTP"
                + " Basic");
    }

    private static Schema<?> uri() {
        return new StringSchema().format("uri");
    }

    private static ArraySchema strings() {
        return new ArraySchema().items(new StringSchema());
    }

    private static Schema<?> epochSeconds() {
        return new IntegerSchema().format("int64").description("Seconds since the epoch");
    }

    private static Schema<Object> object(String description, List<String> required) {
        Schema<Object> schema = new ObjectSchema();
        schema.setDescription(description);
        schema.setRequired(new ArrayList<>(required));
        return schema;
    }
}
