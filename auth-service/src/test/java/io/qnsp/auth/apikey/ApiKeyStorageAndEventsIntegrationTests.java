package io.qnsp.auth.apikey;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.qnsp.auth.apikey.DataHubAssertions.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What is stored (never the key, only its keyed hash and display prefix) and what is published when a key's
 * verification changes: an outbox event on the {@code auth.api-keys} stream and a notice on the change channel.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@Import(ApiKeyTestConfiguration.class)
class ApiKeyStorageAndEventsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisConnectionFactory connections;

    @Autowired
    RedisKeys keys;

    @Autowired
    ApiKeyHasher hasher;

    @Autowired
    ApiKeyExpiry expiry;

    @Autowired
    ApiKeyUsage usage;

    @Autowired
    MutableClock clock;

    KeysClient api;
    RedisMessageListenerContainer listener;
    BlockingQueue<JsonNode> notices = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        api = KeysClient.writer(port, "tenant-" + UUID.randomUUID());
        listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(connections);
        listener.addMessageListener((MessageListener) (message, pattern) ->
                notices.add(JSON.readTree(new String(message.getBody(), StandardCharsets.UTF_8))),
                new ChannelTopic(keys.key("auth:api-key-changed")));
        listener.afterPropertiesSet();
        listener.start();
        // start() may return before Redis confirmed the subscription: publish until someone receives
        String channel = keys.key("auth:api-key-changed");
        await("the test's subscription to " + channel).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> redis.convertAndSend(channel, "{\"keyId\":\"subscription-probe\"}") > 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        // nothing left for the shutdown flush, which would race the test database's own shutdown
        usage.flush();
        listener.stop();
        listener.destroy();
    }

    @Test
    void noColumnOfAnyTableHoldsAKeyOnlyItsKeyedHashAndPrefix() {
        JsonNode created = api.createKey("Stored safely", "read:requests");
        String apiKey = created.get("apiKey").asString();
        String id = created.get("id").asString();
        String rotatedKey = success(api.rotate(id, Map.of("deprecationPeriod", 60)), 200)
                .get("newKey").get("apiKey").asString();
        KeysClient.gateway(port).verify(apiKey);
        KeysClient.gateway(port).verify(rotatedKey);
        usage.flush();
        success(api.update(id, Map.of("name", "Stored safely, renamed")), 200);

        for (String key : List.of(apiKey, rotatedKey)) {
            String secret = key.substring("dh_live_".length());
            for (String table : jdbc.queryForList("select table_name from information_schema.tables"
                    + " where table_schema = current_schema() and table_type = 'BASE TABLE'", String.class)) {
                Long rows = jdbc.queryForObject("select count(*) from \"" + table + "\" t where t::text like ?"
                        + " or t::text like ?", Long.class, "%" + secret + "%", "%" + hex(secret) + "%");
                assertThat(rows).as("rows of %s holding a key", table).isZero();
            }
        }
        Map<String, Object> row = jdbc.queryForMap("select key_hash, key_prefix from api_key where id = ?", id);
        assertThat((byte[]) row.get("key_hash")).isEqualTo(hasher.hash(apiKey)).hasSize(32);
        assertThat(row.get("key_prefix")).isEqualTo(apiKey.substring(0, 12) + "...");
        assertThat(jdbc.queryForObject("select count(*) from api_key", Long.class)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void revocationIsOnTheStreamAndTheChannel() {
        String id = api.createKey("Revoked and announced").get("id").asString();

        success(api.revoke(id), 200);

        JsonNode notice = awaitNotice(id);
        assertThat(notice.get("change").asString()).isEqualTo("revoked");
        assertThat(notice.get("tenantId").asString()).startsWith("tenant-");
        JsonNode event = awaitEvent(id, ApiKeyRevoked.class);
        assertThat(event.get("keyId").asString()).isEqualTo(id);
        assertThat(event.get("tenantId").asString()).isEqualTo(notice.get("tenantId").asString());
        assertThat(event.get("revokedAt").asString()).isNotBlank();
        assertThat(event.get("eventId").asString()).isEqualTo(notice.get("eventId").asString());

        success(api.revoke(id), 200);
        assertThat(noticesBeforeAMarker()).as("a second revocation changes nothing")
                .noneMatch(n -> id.equals(n.get("keyId").asString()));
        assertThat(eventsFor(id, ApiKeyRevoked.class)).hasSize(1);
    }

    @Test
    void rotationAndTheEndOfItsDeprecationAreAnnounced() {
        String id = api.createKey("Rotated and announced").get("id").asString();

        JsonNode rotated = success(api.rotate(id, Map.of("deprecationPeriod", 120)), 200);

        assertThat(awaitNotice(id).get("change").asString()).isEqualTo("rotated");
        JsonNode event = awaitEvent(id, ApiKeyRotated.class);
        assertThat(event.get("replacedBy").asString()).isEqualTo(rotated.get("newKey").get("id").asString());
        assertThat(event.get("expiresAt").asString()).isEqualTo(rotated.get("oldKey").get("expiresAt").asString());

        expiry.sweep();
        assertThat(noticesBeforeAMarker()).noneMatch(n -> id.equals(n.get("keyId").asString()));
        assertThat(eventsFor(id, ApiKeyExpired.class)).as("not expired yet").isEmpty();

        clock.advance(Duration.ofSeconds(121));
        expiry.sweep();
        expiry.sweep();

        assertThat(awaitNotice(id).get("change").asString()).isEqualTo("expired");
        JsonNode expired = awaitEvent(id, ApiKeyExpired.class);
        assertThat(expired.get("deprecated").asBoolean()).isTrue();
        assertThat(expired.get("expiredAt").asString()).isEqualTo(rotated.get("oldKey").get("expiresAt").asString());
        assertThat(noticesBeforeAMarker()).as("announced once")
                .noneMatch(n -> id.equals(n.get("keyId").asString()));
        assertThat(eventsFor(id, ApiKeyExpired.class)).as("announced once").hasSize(1);
        assertThat(eventsFor(rotated.get("newKey").get("id").asString(), ApiKeyExpired.class)).isEmpty();
    }

    @Test
    void anExpiryOfItsOwnIsAnnouncedToo() {
        Map<String, Object> request = KeysClient.keyRequest("Expires by date");
        request.put("expiresAt", clock.instant().plus(Duration.ofMinutes(5)).toString());
        String id = success(api.create(request), 201).get("id").asString();

        clock.advance(Duration.ofMinutes(6));
        expiry.sweep();

        assertThat(awaitNotice(id).get("change").asString()).isEqualTo("expired");
        assertThat(awaitEvent(id, ApiKeyExpired.class).get("deprecated").asBoolean()).isFalse();
    }

    @Test
    void scopeChangesAreAnnouncedButRenamesAreNot() {
        String id = api.createKey("Scoped", "read:requests", "write:requests").get("id").asString();

        success(api.update(id, Map.of("name", "Scoped and renamed")), 200);
        assertThat(noticesBeforeAMarker()).noneMatch(n -> id.equals(n.get("keyId").asString()));
        assertThat(eventsFor(id, ApiKeyEvent.class)).isEmpty();

        success(api.update(id, Map.of("scopes", List.of("read:requests"))), 200);
        assertThat(awaitNotice(id).get("change").asString()).isEqualTo("updated");
        assertThat(awaitEvent(id, ApiKeyUpdated.class).get("keyId").asString()).isEqualTo(id);
    }

    @Test
    void aRefusedChangePublishesNothing() {
        String id = api.createKey("Unchanged").get("id").asString();

        api.update(id, Map.of("scopes", List.of("launch:rockets")));
        api.rotate(id, Map.of("deprecationPeriod", -5));

        assertThat(noticesBeforeAMarker()).noneMatch(n -> id.equals(n.get("keyId").asString()));
        assertThat(eventsFor(id, ApiKeyEvent.class)).isEmpty();
    }

    /**
     * Makes a change that is announced for sure after the changes a test expects to be silent, and waits for its
     * notice and its event. Notices go out in the order of the changes (after each commit, before the answer), and
     * the outbox relay publishes events in the order of the commits: once the marker's have arrived, any of the
     * earlier changes would have too. No waiting for something that must not happen.
     *
     * @return the notices that arrived before the marker's, in order
     */
    private List<JsonNode> noticesBeforeAMarker() {
        String marker = api.createKey("Marker").get("id").asString();
        success(api.revoke(marker), 200);
        List<JsonNode> before = new ArrayList<>();
        await("the marker's notice").atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
            JsonNode notice = notices.poll(100, TimeUnit.MILLISECONDS);
            if (notice == null || marker.equals(notice.get("keyId").asString())) {
                return notice != null;
            }
            before.add(notice);
            return false;
        });
        awaitEvent(marker, ApiKeyRevoked.class);
        return before;
    }

    private JsonNode awaitNotice(String keyId) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await("a change notice for " + keyId).atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    JsonNode notice = notices.poll(100, TimeUnit.MILLISECONDS);
                    if (notice != null && keyId.equals(notice.get("keyId").asString())) {
                        found.set(notice);
                    }
                    return found.get() != null;
                });
        return found.get();
    }

    private JsonNode awaitEvent(String keyId, Class<? extends ApiKeyEvent> type) {
        return await("a " + type.getSimpleName() + " event for " + keyId).atMost(WAIT)
                .pollInterval(Duration.ofMillis(100)).until(() -> eventsFor(keyId, type), events -> !events.isEmpty())
                .getFirst();
    }

    private List<JsonNode> eventsFor(String keyId, Class<? extends ApiKeyEvent> type) {
        List<JsonNode> events = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream()
                .range(keys.key("events:auth.api-keys"), Range.unbounded());
        for (MapRecord<String, Object, Object> record : records == null ? List.<MapRecord<String, Object, Object>>of()
                : records) {
            JsonNode payload = JSON.readTree((String) record.getValue().get("payload"));
            boolean ofType = type == ApiKeyEvent.class
                    || type.getName().equals(record.getValue().get("type"));
            if (ofType && keyId.equals(payload.get("keyId").asString())) {
                events.add(payload);
            }
        }
        return events;
    }

    private static String hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
