package io.qnsp.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: tenants never reach each other's resources. Two tenants, A and B, each with a client holding every scope
 * the services' documents name (and the add-ons their endpoints need) and an administrator (a client with the admin
 * role, which holds every scope, for its own tenant), and B with an API key besides. A creates one
 * of every resource type a tenant owns, in every service. Then, from the OpenAPI documents the gateway serves, every
 * operation whose path carries an id is called with each of B's credentials on A's resource; each must answer 404
 * in its API family's error format, so that B learns nothing, not even that the resource exists. Afterwards A reads its
 * resources back unchanged, and none of B's lists carries an id of A.
 * <p>
 * Every operation with a path parameter is accounted for: exercised, or excluded here with the reason. An endpoint
 * added later without a place in this drill fails it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(SharedPlatforms.ISOLATION)
class IsolationDrillIntegrationTests {

    private static final JsonMapper JSON = GatewayCalls.JSON;
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[^}]+}");
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final List<String> ADD_ONS = List.of("byohsm", "key-escrow");
    /** The scopes an API key may hold (auth-api-keys.md), all but {@code admin}. */
    private static final Set<String> API_KEY_SCOPES = Set.of("read:keys", "write:keys", "read:requests",
            "write:requests", "read:webhooks", "write:webhooks");

    /**
     * Operations not exercised, by the path up to a parameter (every operation under it) or by
     * {@code "METHOD path"}, each with the reason.
     */
    private static final Map<String, String> EXCLUDED = Map.of(
            "POST /auth/admin/tenants/{tenantId}/access-tokens", "platform operators only (platform_admin): a "
                    + "tenant's administrator is refused with 403 whatever the id",
            "/v1/api-keys/{key}", "the rate-limit service's key administration, authenticated by the operator's "
                    + "X-Admin-Token only",
            "/kms/v1/byohsm/connections/{connectionId}", "a connection needs a PKCS#11 library the operator allows "
                    + "(qnsp.kms.hsm-libraries); the drill platform allows none, so no tenant can register one",
            "/vault/v1/dynamic-secrets/configs/{configId}", "a config is stored only once the vault has connected to "
                    + "the tenant's own database with its administrative account; the drill platform gives tenants "
                    + "none",
            "/vault/v1/dynamic-secrets/leases/{leaseId}", "leases come from a dynamic-secrets config (above)",
            "PUT /storage/v1/buckets/{bucket}", "bucket names are the tenant's own: B's PUT creates B's bucket of "
                    + "that name (checked in bucketAndSecretNamesAreEachTenantsOwn)");

    /**
     * Path parameters that name something inside the caller's tenant rather than identify a resource: the answer
     * is about the caller's own tenant and must carry nothing of A's.
     */
    private static final Map<String, String> NAMES_IN_THE_CALLERS_TENANT = Map.of(
            "/access/v1/jit/grants/user/{userId}", "a principal of the caller's tenant; lists that tenant's grants",
            "/auth/risk/users/{userId}", "a user of the caller's tenant; lists that tenant's risk signals");

    /** B's request bodies where the operation refuses an empty one, valid so that only ownership can refuse them. */
    private static final Map<String, String> BODIES = Map.ofEntries(
            Map.entry("POST /auth/admin/tenants/{tenantId}/clients", "{\"name\":\"b\",\"scopes\":[\"kms:read\"]}"),
            Map.entry("POST /access/v1/jit/requests/{requestId}/process", "{\"decision\":\"deny\",\"reason\":\"b\"}"),
            Map.entry("PUT /access/v1/policies/{policyId}", "{\"name\":\"b\",\"effect\":\"deny\",\"principals\":"
                    + "[\"group:b\"],\"resources\":[\"doc:b\"],\"actions\":[\"read\"]}"),
            Map.entry("POST /ai/v1/registry/models/{id}/deprecate", "{\"reason\":\"b\"}"),
            Map.entry("PUT /auth/risk/policies/{policyId}",
                    "{\"name\":\"b\",\"conditions\":{\"riskScoreThreshold\":10}}"),
            Map.entry("POST /crypto/v1/hardware/{hardwareId}/health", "{\"status\":\"failed\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/decapsulate", "{\"encapsulation\":\"" + base64(1088) + "\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/encrypt", "{\"plaintext\":\"" + base64(5) + "\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/sign", "{\"message\":\"" + base64(5) + "\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/verify", "{\"message\":\"" + base64(5) + "\",\"signature\":\""
                    + base64(3309) + "\"}"),
            Map.entry("POST /api/v1/storage/kpi/kpis/{kpi}/contracts", "{\"basedOn\":\"v1\"}"),
            Map.entry("POST /search/v1/query/{queryId}/clicks", "{\"documentId\":\"" + UUID.randomUUID() + "\"}"),
            Map.entry("POST /tenant/v1/onboarding/workflows/{workflowId}/action", "{\"action\":\"cancel\"}"),
            Map.entry("PATCH /vault/v1/leakage-detection/incidents/{incidentId}", "{\"status\":\"resolved\"}"),
            Map.entry("POST /vault/v1/versioned-secrets/{secretId}/compare", "{\"version1\":1,\"version2\":2}"),
            Map.entry("POST /vault/v1/versioned-secrets/{secretId}/rollback", "{\"targetVersion\":1}"),
            Map.entry("PATCH /vault/v1/versioned-secrets/{secretId}/versions/{version}/state",
                    "{\"state\":\"destroyed\"}"));

    /** A's resources read back after B's attempts, which must have left them as they were. */
    private static final List<String> READ_BACK = List.of(
            "/access/v1/policies/{policyId}", "/ai/v1/bias/evaluations/{id}", "/audit/v1/retention/policies/{policyId}",
            "/auth/admin/tenants/{tenantId}", "/auth/admin/tenants/{tenantId}/clients", "/api/v1/keys/{id}",
            "/api/v1/webhooks/{id}",
            "/audit/v1/streaming/subscriptions/{subscriptionId}", "/auth/risk/policies/{policyId}",
            "/billing/v1/accounts/{tenantId}", "/crypto/v1/hardware/summary", "/kms/v1/keys/{keyId}",
            "/kms/v1/crypto-agility/migration-plans/{planId}",
            "/kms/v1/escrow/policies/{policyId}", "/kms/v1/escrow/recovery/{requestId}",
            "/search/v1/health/maintenance/{windowId}", "/storage/v1/buckets/{bucket}",
            "/storage/v1/buckets/{bucket}/objects/{key}", "/storage/v1/retention/holds/{holdId}",
            "/tenant/v1/onboarding/workflows/{workflowId}", "/vault/v1/leakage-detection/incidents/{incidentId}",
            "/vault/v1/leakage-detection/policies/{policyId}", "/vault/v1/versioned-secrets/{secretId}/history",
            "/vault/v1/versioned-secrets/{secretId}/versions/{version}");

    /**
     * A's resources that have no read of their own, read back as the item carrying the id in a list of A's
     * (the list's path, the key of the id in {@link #resourcesOfA}).
     */
    private static final Map<String, String> READ_BACK_IN_LISTS = Map.of(
            "/kms/v1/analytics/alert-rules", "/kms/v1/analytics/alert-rules/{ruleId}",
            "/kms/v1/analytics/alerts", "/kms/v1/analytics/alerts/{alertId}",
            "/access/v1/jit/requests", "/access/v1/jit/requests/{requestId}");

    /** Fields that differ between two reads of the same resource. */
    private static final Set<String> PER_ANSWER = Set.of("requestId", "timestamp", "meta");

    /** An operation of a service's document. */
    record Operation(String service, String method, String path, JsonNode definition) {

        String name() {
            return method.toUpperCase() + " " + path;
        }

        /** The prefixes of the path that end in each of its parameters, e.g. {@code /kms/v1/keys/{keyId}}. */
        List<String> parameterPrefixes() {
            List<String> prefixes = new ArrayList<>();
            Matcher parameter = PATH_PARAMETER.matcher(path);
            while (parameter.find()) {
                prefixes.add(path.substring(0, parameter.end()));
            }
            return prefixes;
        }

        /** The schema of the error body its 404 is declared with ({@code QnspError}, {@code DataHubError}, …). */
        String notFoundSchema() {
            String reference = definition.at("/responses/404/content").values().stream().findFirst()
                    .map(content -> content.at("/schema/$ref").asString("")).orElse("");
            return reference.substring(reference.lastIndexOf('/') + 1);
        }

        boolean takesJson() {
            return definition.at("/requestBody/content").has("application/json");
        }

        boolean takesBytes() {
            return definition.has("requestBody") && !takesJson();
        }

        Set<String> roles() {
            Set<String> roles = new TreeSet<>();
            definition.path("x-required-roles").forEach(role -> roles.add(role.asString()));
            return roles;
        }

        Set<String> scopes() {
            Set<String> scopes = new TreeSet<>();
            definition.path("x-required-scopes").forEach(scope -> scopes.add(scope.asString()));
            return scopes;
        }

        boolean acceptsApiKey() {
            return definition.path("security").values().stream().anyMatch(requirement -> requirement.has("apiKey"));
        }

        boolean streams() {
            return definition.at("/responses/200/content").has("text/event-stream");
        }
    }

    private GatewayCalls calls;
    private List<Operation> operations;
    private GatewayCalls.TenantClient tenantA;
    private GatewayCalls.TenantClient tenantB;
    private String apiKeyOfB;
    /** Tokens of clients with the admin role, a tenant's administrators (of their own tenant only). */
    private String administratorOfA;
    private String administratorOfB;
    /** A's resources: the id for each path prefix ending in a parameter, e.g. {@code /kms/v1/keys/{keyId}}. */
    private final Map<String, String> resourcesOfA = new LinkedHashMap<>();
    private final Map<String, String> namesOfA = new LinkedHashMap<>();
    private Map<Integer, Integer> statusesOfB = new TreeMap<>();
    /** 503s of a service that did not answer the gateway in time, each sent again. */
    private int unavailable;

    @BeforeAll
    void twoTenantsAndEveryResourceOfA(ExtensionContext context) throws Exception {
        RunningPlatform platform = SharedPlatforms.drills(context);
        calls = new GatewayCalls(platform);
        String operator = "Bearer " + calls.operatorToken();
        operations = documentedOperations();
        String[] scopes = operations.stream().flatMap(operation -> operation.scopes().stream()).distinct().sorted()
                .toArray(String[]::new);
        assertThat(scopes).as("scopes the documents name").contains("kms:write", "vault:use", "storage:write");
        tenantA = calls.tenantClient(operator, "isolation-a", ADD_ONS, scopes);
        tenantB = calls.tenantClient(operator, "isolation-b", ADD_ONS, scopes);
        administratorOfA = administrator(operator, tenantA, scopes);
        administratorOfB = administrator(operator, tenantB, scopes);
        HttpResponse<String> key = calls.send(calls.post("/api/v1/keys", "{\"name\":\"isolation b\",\"scopes\":"
                + JSON.writeValueAsString(API_KEY_SCOPES) + "}"), tenantB.bearer());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        apiKeyOfB = JSON.readTree(key.body()).at("/data/apiKey").asString();
        createEveryResourceOfA();
    }

    @Test
    @Order(2)
    void everyOperationOnAnotherTenantsResourceAnswers404() throws Exception {
        List<Operation> withIds = operations.stream().filter(operation -> operation.path().contains("{"))
                .sorted(Comparator.comparingInt((Operation operation) -> METHODS.indexOf(operation.method()))
                        .thenComparing(Operation::path))
                .toList();
        List<String> unclassified = new ArrayList<>();
        List<Operation> exercised = new ArrayList<>();
        List<Operation> names = new ArrayList<>();
        int excluded = 0;
        for (Operation operation : withIds) {
            if (exclusion(operation).isPresent()) {
                excluded++;
            } else if (operation.parameterPrefixes().stream().anyMatch(NAMES_IN_THE_CALLERS_TENANT::containsKey)) {
                names.add(operation);
            } else if (resourcesOfA.keySet().containsAll(operation.parameterPrefixes())) {
                exercised.add(operation);
            } else {
                unclassified.add(operation.service() + ": " + operation.name());
            }
        }
        assertThat(unclassified).as("operations with a path id that this drill neither exercises nor excludes "
                + "with a reason (create the resource in createEveryResourceOfA, or add to EXCLUDED)").isEmpty();

        statusesOfB = new TreeMap<>();
        Map<String, String> before = readBackOfA();
        assertThat(before).as("A's resources as A reads them").allSatisfy((read, answer) ->
                assertThat(answer).doesNotStartWith("4").doesNotStartWith("5").isNotEqualTo("absent"));
        List<String> offenders = new ArrayList<>();
        int notFound = 0;
        int attempts = 0;
        for (Operation operation : exercised) {
            for (Credentials credentials : credentialsOfB(operation)) {
                attempts++;
                HttpResponse<String> answer = sendAsB(operation, resourcesOfA, credentials);
                Optional<String> problem = notFoundProblem(operation.notFoundSchema(), answer);
                if (problem.isPresent()) {
                    offenders.add(operation.service() + ": " + operation.name() + " with " + credentials + " -> "
                            + answer.statusCode() + " " + problem.get() + ": " + answer.body());
                } else {
                    notFound++;
                }
            }
        }
        Set<String> idsOfA = idsOfA();
        for (Operation operation : names) {
            HttpResponse<String> answer = sendAsB(operation, namesOfA, Credentials.BEARER);
            if (answer.statusCode() / 100 != 2 && answer.statusCode() != 404
                    || idsOfA.stream().anyMatch(answer.body()::contains)) {
                offenders.add(operation.service() + ": " + operation.name() + " -> " + answer.statusCode() + " "
                        + answer.body());
            }
        }
        Map<String, String> after = readBackOfA();

        System.out.printf("drill isolation: %d operations with a path id: %d exercised, %d naming within the "
                        + "caller's tenant, %d excluded; %d requests as tenant B, %d answered 404 as required, "
                        + "answers by status %s%n", withIds.size(), exercised.size(), names.size(), excluded,
                requests(), notFound, statusesOfB);
        System.out.printf("drill isolation: %d answers 503 (a service slower than the gateway waits) sent again%n",
                unavailable);
        assertThat(offenders).as("answers to tenant B on tenant A's resources that are not a 404 in the API "
                + "family's error format").isEmpty();
        assertThat(after).as("A's resources after B's attempts").isEqualTo(before);
        assertThat(exercised).as("operations exercised").hasSizeGreaterThan(80);
        assertThat(notFound).as("404s").isEqualTo(attempts).isGreaterThan(2 * 80);
    }

    /** Before B's attempts on A's ids, which B's own request logs and audit trail then hold. */
    @Test
    @Order(1)
    void noListOfAnotherTenantCarriesAnIdOfA() throws Exception {
        Set<String> idsOfA = idsOfA();
        List<String> offenders = new ArrayList<>();
        statusesOfB = new TreeMap<>();
        int lists = 0;
        for (Operation operation : operations) {
            if (!operation.method().equals("get") || operation.path().contains("{") || operation.streams()
                    || operation.path().contains("api-docs") || operation.scopes().isEmpty()) {
                continue;
            }
            lists++;
            for (Credentials credentials : List.of(Credentials.BEARER, Credentials.TENANT_ADMINISTRATOR)) {
                HttpResponse<String> answer = sendAsB(operation, Map.of(), credentials);
                List<String> carried = idsOfA.stream().filter(answer.body()::contains).toList();
                if (!carried.isEmpty() || answer.statusCode() >= 500) {
                    offenders.add(operation.service() + ": " + operation.name() + " with " + credentials + " -> "
                            + answer.statusCode() + " carries " + carried + ": " + answer.body());
                }
            }
        }
        System.out.printf("drill isolation: %d lists read as tenant B (%d requests, answers by status %s), none may "
                + "carry any of A's %d ids%n", lists, requests(), statusesOfB, idsOfA.size());
        assertThat(offenders).as("B's lists that carry A's ids").isEmpty();
        assertThat(lists).as("lists read").isGreaterThan(40);
    }

    @Test
    @Order(3)
    void bucketAndSecretNamesAreEachTenantsOwn() throws Exception {
        String bucket = resourcesOfA.get("/storage/v1/buckets/{bucket}");
        HttpResponse<String> created = answered(HttpRequest.newBuilder(calls.uri("/storage/v1/buckets/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()), tenantB.bearer());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> objects = answered(calls.get("/storage/v1/buckets/" + bucket + "/objects"),
                tenantB.bearer());
        assertThat(objects.statusCode()).as(objects.body()).isEqualTo(200);
        assertThat(JSON.readTree(objects.body()).get("objects").size()).as("objects in B's bucket").isZero();

        String secret = resourcesOfA.get("/vault/v1/versioned-secrets/{secretId}");
        HttpResponse<String> written = answered(calls.post("/vault/v1/versioned-secrets",
                "{\"secretId\":\"" + secret + "\",\"value\":\"b's value\"}"), tenantB.bearer());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        assertThat(JSON.readTree(written.body()).get("version").asInt()).as("B's first version").isEqualTo(1);

        HttpResponse<String> objectOfA = answered(calls.get("/storage/v1/buckets/" + bucket + "/objects/doc.txt"),
                tenantA.bearer());
        assertThat(objectOfA.body()).isEqualTo("a's document");
        HttpResponse<String> valueOfA = answered(calls.get("/vault/v1/versioned-secrets/" + secret + "/versions/2"),
                tenantA.bearer());
        assertThat(JSON.readTree(valueOfA.body()).get("value").asString()).isEqualTo("a's value 2");
    }

    /**
     * How B authenticates: its client's token, its administrator's (the admin role, which holds every scope), or
     * its API key where the operation takes one.
     */
    private enum Credentials {
        BEARER, TENANT_ADMINISTRATOR, API_KEY
    }

    /** Each of B's credentials that the operation's scopes and roles let through to the lookup of the id. */
    private static List<Credentials> credentialsOfB(Operation operation) {
        if (!operation.roles().isEmpty()) {
            return List.of(Credentials.TENANT_ADMINISTRATOR);
        }
        List<Credentials> credentials = new ArrayList<>(List.of(Credentials.BEARER, Credentials.TENANT_ADMINISTRATOR));
        if (operation.acceptsApiKey() && !operation.scopes().isEmpty()
                && API_KEY_SCOPES.containsAll(operation.scopes())) {
            credentials.add(Credentials.API_KEY);
        }
        return credentials;
    }

    /**
     * Sends (with an {@code Authorization} header) until the answer is other than a 503: on a loaded machine a
     * service can take longer than the gateway waits for it, and a client tries again.
     */
    private HttpResponse<String> answered(HttpRequest.Builder request, String authorization) {
        return answered(request.header("Authorization", authorization));
    }

    private HttpResponse<String> answered(HttpRequest.Builder request) {
        return await("an answer other than 503").atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    HttpResponse<String> answer = calls.send(request);
                    if (answer.statusCode() == 503) {
                        unavailable++;
                    }
                    return answer;
                }, answer -> answer.statusCode() != 503);
    }

    private int requests() {
        return statusesOfB.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A token of a new client of the tenant with the admin role: one of the tenant's administrators. */
    private String administrator(String operator, GatewayCalls.TenantClient tenant, String[] scopes) throws Exception {
        HttpResponse<String> client = calls.send(calls.post("/auth/admin/tenants/" + tenant.tenantId() + "/clients",
                "{\"name\":\"administrator\",\"roles\":[\"admin\"],\"scopes\":" + JSON.writeValueAsString(scopes)
                        + "}"),
                operator);
        assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
        JsonNode issued = JSON.readTree(client.body());
        HttpResponse<String> token = calls.tokenResponse(issued.get("clientId").asString(),
                issued.get("clientSecret").asString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return "Bearer " + JSON.readTree(token.body()).get("access_token").asString();
    }

    private static Optional<String> exclusion(Operation operation) {
        return Optional.ofNullable(EXCLUDED.get(operation.name())).or(() -> operation.parameterPrefixes().stream()
                .map(EXCLUDED::get).filter(reason -> reason != null).findFirst());
    }

    private HttpResponse<String> sendAsB(Operation operation, Map<String, String> values, Credentials credentials)
            throws Exception {
        String path = concrete(operation.path(), values);
        HttpRequest.Builder request = calls.get(path);
        if (operation.takesBytes()) {
            request = HttpRequest.newBuilder(calls.uri(path)).header("Content-Type", "application/octet-stream")
                    .method(operation.method().toUpperCase(), HttpRequest.BodyPublishers.ofString("b's bytes"));
        } else if (!operation.method().equals("get")) {
            String body = BODIES.getOrDefault(operation.name(), "{}");
            request = operation.takesJson() || !operation.method().equals("delete")
                    ? HttpRequest.newBuilder(calls.uri(path)).header("Content-Type", "application/json")
                    .method(operation.method().toUpperCase(), HttpRequest.BodyPublishers.ofString(body))
                    : calls.delete(path);
        }
        request = switch (credentials) {
            case BEARER -> request.header("Authorization", tenantB.bearer());
            case TENANT_ADMINISTRATOR -> request.header("Authorization", administratorOfB);
            case API_KEY -> request.header("X-API-Key", apiKeyOfB);
        };
        HttpResponse<String> answer = answered(request);
        statusesOfB.merge(answer.statusCode(), 1, Integer::sum);
        return answer;
    }

    /** The path with each parameter replaced by the value for the prefix that ends in it. */
    private static String concrete(String path, Map<String, String> values) {
        StringBuilder concrete = new StringBuilder();
        Matcher parameter = PATH_PARAMETER.matcher(path);
        int end = 0;
        while (parameter.find()) {
            String value = values.get(path.substring(0, parameter.end()));
            concrete.append(path, end, parameter.start()).append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            end = parameter.end();
        }
        return concrete.append(path.substring(end)).toString();
    }

    /** Why the answer is not a 404 in the error format of its API family, if it is not. */
    private static Optional<String> notFoundProblem(String schema, HttpResponse<String> answer) {
        if (answer.statusCode() != 404) {
            return Optional.of("not a 404");
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            return Optional.of("not JSON");
        }
        boolean inFormat = switch (schema) {
            case "QnspError" -> body.path("statusCode").asInt() == 404 && body.path("error").isString()
                    && body.path("message").isString() && body.path("requestId").isString();
            case "DataHubError" -> !body.path("success").asBoolean(true)
                    && body.at("/error/code").asString("").equals("NOT_FOUND") && body.at("/meta/requestId").isString();
            case "KpiError", "RateLimitError" -> body.path("error").asString("").equals("not_found")
                    && body.path("requestId").isString();
            default -> false;
        };
        return inFormat ? Optional.empty() : Optional.of("not in the " + schema + " format");
    }

    /** A's resources as A reads them, with what differs between two reads of the same thing left out. */
    private Map<String, String> readBackOfA() throws Exception {
        Map<String, String> read = new TreeMap<>();
        for (String path : READ_BACK) {
            HttpResponse<String> answer = answered(calls.get(concrete(path, resourcesOfA)), administratorOfA);
            read.put(path, answer.statusCode() + " " + withoutPerAnswerFields(answer.body()));
        }
        for (Map.Entry<String, String> list : READ_BACK_IN_LISTS.entrySet()) {
            String id = resourcesOfA.get(list.getValue());
            HttpResponse<String> answer = answered(calls.get(list.getKey()), administratorOfA);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            read.put(list.getKey() + " item " + id, itemWithId(JSON.readTree(answer.body()), id)
                    .map(JsonNode::toString).orElse("absent"));
        }
        return read;
    }

    private static String withoutPerAnswerFields(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json instanceof ObjectNode object) {
                PER_ANSWER.forEach(object::remove);
            }
            return json.toString();
        } catch (RuntimeException notJson) {
            return body;
        }
    }

    private static Optional<JsonNode> itemWithId(JsonNode json, String id) {
        if (json.isObject() && json.values().stream()
                .anyMatch(value -> value.isString() && value.asString().equals(id))) {
            return Optional.of(json);
        }
        return json.values().stream().map(value -> itemWithId(value, id)).flatMap(Optional::stream).findFirst();
    }

    /** A's ids and names, long enough to be A's alone, and A's tenant and principal. */
    private Set<String> idsOfA() {
        Set<String> ids = new LinkedHashSet<>();
        resourcesOfA.values().stream().filter(id -> id.length() >= 8).forEach(ids::add);
        namesOfA.values().stream().filter(id -> id.length() >= 8).forEach(ids::add);
        ids.add(tenantA.tenantId());
        ids.add(tenantA.clientId());
        return ids;
    }

    private List<Operation> documentedOperations() throws Exception {
        HttpResponse<String> configuration = calls.send(calls.get("/v3/api-docs/swagger-config"));
        assertThat(configuration.statusCode()).isEqualTo(200);
        List<Operation> found = new ArrayList<>();
        for (JsonNode url : JSON.readTree(configuration.body()).get("urls")) {
            // a service's first document can take longer to build than the gateway waits for it (503, timeout)
            HttpResponse<String> document = await("the API document of " + url.get("name").asString())
                    .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> calls.send(calls.get(url.get("url").asString())),
                            answer -> answer.statusCode() != 503);
            assertThat(document.statusCode()).as(url.toString()).isEqualTo(200);
            JsonNode paths = JSON.readTree(document.body()).get("paths");
            for (String path : paths.propertyNames()) {
                for (String method : METHODS) {
                    if (paths.get(path).has(method)) {
                        found.add(new Operation(url.get("name").asString(), method, path, paths.get(path).get(method)));
                    }
                }
            }
        }
        assertThat(found).as("documented operations").hasSizeGreaterThan(200);
        return found;
    }

    /** One of every resource type a tenant owns, created by A; each id under the path prefix that takes it. */
    private void createEveryResourceOfA() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String rsa = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("RSA").generateKeyPair()
                .getPublic().getEncoded());
        String publicAddress = "https://93.184.216.34/";

        add("/api/v1/keys/{id}", createdByA("/api/v1/keys", "/data/id",
                Map.of("name", "isolation a", "scopes", List.of("read:keys"))));
        String key = createdByA("/kms/v1/keys", "/keyId",
                Map.of("name", "isolation " + suffix, "algorithm", "AES-256-GCM"));
        add("/kms/v1/keys/{keyId}", key);
        add("/kms/v1/analytics/keys/{keyId}", key);
        String signing = createdByA("/kms/v1/keys", "/keyId",
                Map.of("name", "isolation signing " + suffix, "algorithm", "ML-DSA-65"));
        createdByA("/kms/v1/keys/" + key + "/encrypt", "/ciphertext", Map.of("plaintext", base64(5)));
        add("/kms/v1/analytics/alert-rules/{ruleId}", createdByA("/kms/v1/analytics/alert-rules", "/ruleId",
                Map.of("name", "isolation", "severity", "high", "enabled", true, "condition", Map.of(
                        "metric", "operation_count", "operator", "gt", "threshold", 0, "window", "1h"))));
        add("/kms/v1/crypto-agility/migration-plans/{planId}", createdByA("/kms/v1/crypto-agility/migration-plans",
                "/planId", Map.of("name", "isolation", "targetAlgorithms", Map.of("signing", "ML-DSA-65"),
                        "scope", Map.of("keyIds", List.of(signing)))));
        String escrowPolicy = createdByA("/kms/v1/escrow/policies", "/policyId", Map.of("name", "isolation",
                "recoveryThreshold", 2, "escrowAgents", List.of(
                        Map.of("agentId", "a1", "role", "primary", "publicKey", rsa),
                        Map.of("agentId", "a2", "role", "secondary", "publicKey", rsa))));
        add("/kms/v1/escrow/policies/{policyId}", escrowPolicy);
        String escrow = createdByA("/kms/v1/escrow/keys", "/escrowId", Map.of("keyId", key, "policyId", escrowPolicy));
        add("/kms/v1/escrow/recovery/{requestId}", createdByA("/kms/v1/escrow/recovery/initiate", "/requestId",
                Map.of("escrowId", escrow, "reason", "isolation drill", "urgency", "normal")));

        String secret = "isolation-" + suffix;
        createdByA("/vault/v1/versioned-secrets", "/secretId", Map.of("secretId", secret, "value", "a's value 1"));
        createdByA("/vault/v1/versioned-secrets", "/secretId", Map.of("secretId", secret, "value", "a's value 2"));
        add("/vault/v1/versioned-secrets/{secretId}", secret);
        add("/vault/v1/versioned-secrets/{secretId}/versions/{version}", "1");
        add("/vault/v1/leakage-detection/secrets/{secretId}", secret);
        add("/vault/v1/leakage-detection/policies/{policyId}", createdByA("/vault/v1/leakage-detection/policies",
                "/policyId", Map.of("name", "isolation", "enabled", true, "includeDefaultRules", true)));
        add("/vault/v1/leakage-detection/incidents/{incidentId}", createdByA("/vault/v1/leakage-detection/incidents",
                "/incidentId", Map.of("secretId", secret, "severity", "high", "source", "git",
                        "location", "repository")));
        add("/vault/v1/leakage-detection/scans/{scanId}", createdByA("/vault/v1/leakage-detection/scan", "/scanId",
                Map.of("targets", List.of("github"), "scope", Map.of("repositories", List.of("isolation/drill")))));

        add("/access/v1/policies/{policyId}", createdByA("/access/v1/policies", "/policyId", Map.of("name",
                "isolation", "effect", "allow", "principals", List.of("group:isolation"), "resources",
                List.of("doc:1"), "actions", List.of("read"))));
        createdByA("/access/v1/jit/policies", "/policyId", Map.of("name", "isolation",
                "resourceTypes", List.of("database"), "maxDuration", 60, "requireApproval", false));
        add("/access/v1/jit/requests/{requestId}", createdByA("/access/v1/jit/requests", "/requestId",
                Map.of("resourceType", "database", "resourceId", "db1", "permissions", List.of("read"),
                        "duration", 30, "justification", "isolation drill")));
        JsonNode requests = readByA("/access/v1/jit/requests");
        add("/access/v1/jit/grants/{grantId}", requests.at("/requests/0/grantId").asString());
        namesOfA.put("/access/v1/jit/grants/user/{userId}", requests.at("/requests/0/requesterId").asString());
        add("/access/v1/simulate/impact/{analysisId}", createdByA("/access/v1/simulate/impact", "/analysisId",
                Map.of("sampleSize", 10, "policyChange", Map.of("type", "create", "newPolicy", Map.of(
                        "name", "x", "effect", "allow", "principals", List.of("group:a"),
                        "resources", List.of("bucket:b1"), "actions", List.of("read"), "conditions", Map.of())))));

        String model = createdByA("/ai/v1/registry/models", "/modelId",
                Map.of("name", "isolation", "provider", "openai", "type", "llm", "version", "1"));
        add("/ai/v1/registry/models/{id}", model);
        add("/ai/v1/bias/evaluations/{id}", createdByA("/ai/v1/bias/evaluations", "/evaluationId", Map.of(
                "evaluationType", "demographic_parity", "modelId", model, "protectedAttributes", List.of("age"),
                "testDataset", Map.of("content", "age,label,prediction\n30,1,1\n60,0,1\n"))));

        add("/api/v1/webhooks/{id}", createdByA("/api/v1/webhooks", "/data/id", Map.of("name", "isolation",
                "url", publicAddress + "hook", "events", List.of("key.created"), "active", false)));
        add("/audit/v1/streaming/subscriptions/{subscriptionId}", createdByA("/audit/v1/streaming/subscriptions",
                "/subscriptionId", Map.of("name", "isolation", "destination", Map.of("type", "webhook",
                        "config", Map.of("url", publicAddress + "stream")))));
        add("/audit/v1/retention/policies/{policyId}", created("/audit/v1/retention/policies", "/policyId",
                Map.of("name", "isolation", "retentionPeriod", "P90D"), administratorOfA));
        add("/auth/admin/tenants/{tenantId}", tenantA.tenantId());
        add("/auth/federation/audit/reports/{reportId}", createdByA("/auth/federation/audit/reports", "/reportId",
                Map.of("reportType", "activity", "startDate", "2026-01-01", "endDate", "2026-12-31")));
        add("/auth/risk/policies/{policyId}", createdByA("/auth/risk/policies", "/policyId",
                Map.of("name", "isolation", "conditions", Map.of("riskScoreThreshold", 50))));
        String user = "user-" + suffix;
        namesOfA.put("/auth/risk/users/{userId}", user);
        namesOfA.put("risk signal", createdByA("/auth/risk/signals", "/signalId",
                Map.of("userId", user, "severity", "high", "signalType", "brute_force")));

        add("/crypto/v1/hardware/{hardwareId}", createdByA("/crypto/v1/hardware", "/hardwareId", Map.of(
                "name", "isolation", "type", "hsm", "vendor", "thales", "model", "luna",
                "serialNumber", "sn-" + suffix)));
        add("/search/v1/health/maintenance/{windowId}", createdByA("/search/v1/health/maintenance", "/windowId",
                Map.of("maintenanceType", "optimize", "indexNames", List.of("secrets"),
                        "scheduledAt", Instant.now().plus(Duration.ofDays(30)).toString(), "duration", "PT1H")));
        add("/search/v1/query/{queryId}", readByA("/search/v1/query?q=isolation").get("queryId").asString());
        String playbook = createdByA("/security/v1/playbooks", "/playbookId", Map.of("name", "isolation",
                "enabled", true, "triggerConditions", Map.of("eventTypes", List.of("isolation.none"),
                        "severityThreshold", "low"),
                "actions", List.of(Map.of("type", "notify", "requiresApproval", true,
                        "parameters", Map.of("url", publicAddress + "notify")))));
        add("/security/v1/playbooks/executions/{executionId}", createdByA("/security/v1/playbooks/execute",
                "/executionId", Map.of("playbookId", playbook, "dryRun", false)));

        String bucket = "isolation-" + suffix;
        HttpResponse<String> createdBucket = answered(HttpRequest.newBuilder(calls.uri("/storage/v1/buckets/"
                + bucket)).PUT(HttpRequest.BodyPublishers.noBody()), tenantA.bearer());
        assertThat(createdBucket.statusCode()).as(createdBucket.body()).isEqualTo(201);
        add("/storage/v1/buckets/{bucket}", bucket);
        HttpResponse<String> object = answered(HttpRequest.newBuilder(calls.uri("/storage/v1/buckets/" + bucket
                + "/objects/doc.txt")).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("a's document")), tenantA.bearer());
        assertThat(object.statusCode()).as(object.body()).isEqualTo(201);
        add("/storage/v1/buckets/{bucket}/objects/{key}", "doc.txt");
        createdByA("/storage/v1/classification/policies", "/policyId", Map.of("name", "isolation",
                "rules", List.of(Map.of("classification", "confidential", "detector", "email",
                        "dataTypes", List.of("pii")))));
        add("/storage/v1/classification/scans/{scanId}", createdByA("/storage/v1/classification/scans", "/scanId",
                Map.of("scope", Map.of("buckets", List.of(bucket)))));
        add("/storage/v1/retention/holds/{holdId}", createdByA("/storage/v1/retention/holds", "/holdId",
                Map.of("name", "isolation", "reason", "litigation", "scope", Map.of("buckets", List.of(bucket)))));

        add("/tenant/v1/isolation/audits/{auditId}", createdByA("/tenant/v1/isolation/audits", "/auditId",
                Map.of("depth", "quick")));
        add("/tenant/v1/onboarding/workflows/{workflowId}", createdByA("/tenant/v1/onboarding/workflows",
                "/workflowId", Map.of("templateId", "standard", "tenantId", "isolation-new-" + suffix)));
        String kpi = "isolation_" + suffix;
        createdByA("/api/v1/storage/kpi/kpis", "/kpi", Map.of("kpi", kpi, "aggregation", "sum"));
        add("/api/v1/storage/kpi/kpis/{kpi}", kpi);

        // the tenant id is the billing account's id
        for (String billing : List.of("accounts", "credits/balance", "dunning/schedule", "forecasting/capacity",
                "forecasting/usage", "invoices")) {
            add("/billing/v1/" + billing + "/{tenantId}", tenantA.tenantId());
        }
        add("/api/v1/requests/{id}", readByA("/api/v1/requests?limit=1").at("/data/0/id").asString());
        add("/audit/v1/events/{eventId}", readByA("/audit/v1/events?limit=1").at("/events/0/eventId").asString());

        // made by the platform on its own: an invoice once A's usage is metered, an alert once A's rule is evaluated
        add("/billing/v1/invoices/{tenantId}/{invoiceId}", await("an invoice of A").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).until(() -> readByA("/billing/v1/invoices/"
                        + tenantA.tenantId()).at("/invoices/0/invoiceId").asString(""), id -> !id.isEmpty()));
        add("/kms/v1/analytics/alerts/{alertId}", await("an alert of A's rule").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).until(() -> readByA("/kms/v1/analytics/alerts")
                        .at("/alerts/0/alertId").asString(""), id -> !id.isEmpty()));
    }

    private void add(String prefix, String id) {
        assertThat(id).as(prefix).isNotBlank();
        resourcesOfA.put(prefix, id);
    }

    /** Posts the body as A's client and gives the id at the pointer of the 2xx answer. */
    private String createdByA(String path, String idPointer, Map<String, ?> body) throws Exception {
        return created(path, idPointer, body, tenantA.bearer());
    }

    private String created(String path, String idPointer, Map<String, ?> body, String bearer) throws Exception {
        HttpResponse<String> answer = answered(calls.post(path, JSON.writeValueAsString(body)), bearer);
        assertThat(answer.statusCode()).as("POST %s: %s", path, answer.body()).isBetween(200, 299);
        String id = JSON.readTree(answer.body()).at(idPointer).asString("");
        assertThat(id).as("POST %s: %s in %s", path, idPointer, answer.body()).isNotEmpty();
        return id;
    }

    private JsonNode readByA(String path) throws Exception {
        HttpResponse<String> answer = answered(calls.get(path), tenantA.bearer());
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static String base64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }
}
