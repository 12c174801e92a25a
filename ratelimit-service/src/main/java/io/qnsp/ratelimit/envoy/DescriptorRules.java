package io.qnsp.ratelimit.envoy;

import io.qnsp.common.ratelimit.BucketLimits;
import io.qnsp.ratelimit.envoy.EnvoySettings.Descriptor;
import io.qnsp.ratelimit.envoy.EnvoySettings.Unit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured descriptor rules, compiled into one tree per domain and matched as envoyproxy/ratelimit matches its
 * YAML: entry by entry, a rule with the entry's key and value first, else one with the key and no value; a descriptor
 * is limited when every entry matched and the rule reached by its last entry has a limit.
 */
final class DescriptorRules {

    /** A descriptor entry as the request carries it. */
    record Entry(String key, String value) {
    }

    /** A rule's limit. */
    record Limit(long requestsPerUnit, Unit unit, boolean shadowMode) {

        BucketLimits bucket() {
            return new BucketLimits(requestsPerUnit, (double) requestsPerUnit / unit.seconds());
        }
    }

    /** A limited descriptor: its limit and the id of its bucket. */
    record Match(Limit limit, String bucketId) {
    }

    private record Node(Limit limit, Map<String, Node> children) {
    }

    // bucket ids longer than this are hashed, so a long header value cannot make a long Redis key
    private static final int MAX_PLAIN_ID = 200;

    private final Map<String, Map<String, Node>> domains;

    DescriptorRules(Map<String, EnvoySettings.Domain> configured) {
        Map<String, Map<String, Node>> compiled = new HashMap<>();
        configured.forEach((domain, rules) -> {
            if (domain.isBlank()) {
                throw new IllegalArgumentException("qnsp.ratelimit.envoy.domains: a domain name must not be blank");
            }
            compiled.put(domain, compile("qnsp.ratelimit.envoy.domains." + domain + ".descriptors", rules.descriptors()));
        });
        this.domains = Map.copyOf(compiled);
    }

    private static Map<String, Node> compile(String path, List<Descriptor> rules) {
        Map<String, Node> level = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Descriptor rule = rules.get(i);
            String at = path + "[" + i + "]";
            if (rule.key() == null || rule.key().isBlank()) {
                throw new IllegalArgumentException(at + ".key must not be blank");
            }
            if ((rule.unit() == null) != (rule.requestsPerUnit() == null)) {
                throw new IllegalArgumentException(at + ": unit and requests-per-unit go together");
            }
            if (rule.requestsPerUnit() != null && rule.requestsPerUnit() < 1) {
                throw new IllegalArgumentException(at + ".requests-per-unit must be at least 1");
            }
            Limit limit = rule.unit() == null ? null : new Limit(rule.requestsPerUnit(), rule.unit(), rule.shadowMode());
            String name = rule.value() == null ? rule.key() : fixed(rule.key(), rule.value());
            if (level.put(name, new Node(limit, compile(at + ".descriptors", rule.descriptors()))) != null) {
                throw new IllegalArgumentException(at + ": another rule at this level has the same key and value");
            }
        }
        return Map.copyOf(level);
    }

    /** The limit of a descriptor of {@code domain}, if a rule limits it. */
    Optional<Match> match(String domain, List<Entry> entries) {
        Map<String, Node> level = domains.get(domain);
        if (level == null || entries.isEmpty()) {
            return Optional.empty();
        }
        Node node = null;
        for (Entry entry : entries) {
            node = level.get(fixed(entry.key(), entry.value()));
            if (node == null) {
                node = level.get(entry.key());
            }
            if (node == null) {
                return Optional.empty();
            }
            level = node.children();
        }
        return node.limit() == null ? Optional.empty() : Optional.of(new Match(node.limit(), bucketId(domain, entries)));
    }

    /**
     * The bucket of a domain and its matched entries, values included (a rule without a fixed value limits each value
     * on its own, as envoyproxy/ratelimit does); length-prefixed so no choice of keys and values can collide.
     */
    static String bucketId(String domain, List<Entry> entries) {
        StringBuilder id = new StringBuilder("envoy:").append(domain.length()).append(':').append(domain);
        for (Entry entry : entries) {
            id.append('|').append(entry.key().length()).append(':').append(entry.key())
                    .append('=').append(entry.value().length()).append(':').append(entry.value());
        }
        if (id.length() <= MAX_PLAIN_ID) {
            return id.toString();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return "envoy:sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fixed(String key, String value) {
        return key + '\u0000' + value;
    }
}
