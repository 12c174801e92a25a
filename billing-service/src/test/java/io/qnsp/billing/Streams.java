package io.qnsp.billing;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** Reads what billing-service published on a Redis stream, as a consumer of that stream would. */
public final class Streams {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final JsonMapper json;

    public Streams(StringRedisTemplate redis, RedisKeys keys, JsonMapper json) {
        this.redis = redis;
        this.keys = keys;
        this.json = json;
    }

    /** The payloads of the stream's entries about the tenant, oldest first. */
    public List<JsonNode> events(String stream, String tenant) {
        return redis.opsForStream().range(keys.key("events:" + stream), Range.unbounded()).stream()
                .map(record -> json.readTree(String.valueOf(record.getValue().get("payload"))))
                .filter(payload -> tenant.equals(payload.path("tenantId").asString(null)))
                .toList();
    }
}
