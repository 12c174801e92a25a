package io.qnsp.audit.streaming;

import io.qnsp.audit.delivery.BrokerAddressPolicy;
import io.qnsp.audit.delivery.BrokerSettings;
import io.qnsp.audit.delivery.Destination;
import io.qnsp.audit.delivery.DestinationSecrets;
import io.qnsp.audit.delivery.KafkaDestination;
import io.qnsp.audit.delivery.SqsDestination;
import io.qnsp.audit.delivery.WebhookDestination;
import io.qnsp.audit.delivery.WebhookSignature;
import io.qnsp.audit.delivery.WebhookUrlPolicy;
import io.qnsp.common.error.InvalidField;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a destination's {@code config} for its type, validating every setting by name
 * ({@code destination.config.url}), and splits it into what may be shown back and what is sealed at rest: a
 * webhook's signing secret and header values, an SQS secret access key. Opens the stored form into the
 * {@link Destination} a delivery is sent to.
 */
@Component
class SubscriptionDestinations {

    static final String MASK = "********";
    private static final String CONFIG = "destination.config";
    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secret", "headers");
    private static final Set<String> KAFKA_KEYS = Set.of("bootstrapServers", "topic", "clientId");
    private static final Set<String> SQS_KEYS = Set.of("queueUrl", "region", "endpoint", "accessKeyId",
            "secretAccessKey", "messageGroupId");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
            "connection", "expect", "upgrade", "user-agent", "transfer-encoding");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern MESSAGE_GROUP = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,./:;<=>?@\\[\\\\\\]^_`{|}~-]{1,128}");
    private static final int MAX_HEADERS = 20;
    private static final int MAX_BOOTSTRAP_SERVERS = 10;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final WebhookUrlPolicy urls;
    private final BrokerAddressPolicy brokers;
    private final BrokerSettings brokerSettings;
    private final DestinationSecrets secrets;
    private final JsonMapper json;

    SubscriptionDestinations(WebhookUrlPolicy urls, BrokerAddressPolicy brokers, BrokerSettings brokerSettings,
                             DestinationSecrets secrets, JsonMapper json) {
        this.urls = urls;
        this.brokers = brokers;
        this.brokerSettings = brokerSettings;
        this.secrets = secrets;
        this.json = json;
    }

    /**
     * A validated destination.
     *
     * @param shown           the settings that may be shown back
     * @param hidden          the settings sealed at rest
     * @param generatedSecret the webhook secret made because none was given, to show once; otherwise {@code null}
     */
    record Parsed(DestinationType type, Map<String, Object> shown, Map<String, Object> hidden,
                  String generatedSecret) {
    }

    Parsed parse(SubscriptionRequest.DestinationSpec spec) {
        if (spec == null) {
            throw new InvalidField("destination", "is required");
        }
        if (spec.type() == null || spec.type().isBlank()) {
            throw new InvalidField("destination.type", "is required");
        }
        DestinationType type = DestinationType.parse(spec.type().trim().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new InvalidField("destination.type", "must be one of webhook, kafka, sqs"));
        JsonNode config = spec.config();
        if (config == null || config.isNull() || config.isMissingNode()) {
            throw new InvalidField(CONFIG, "is required");
        }
        if (!config.isObject()) {
            throw new InvalidField(CONFIG, "must be an object");
        }
        return switch (type) {
            case WEBHOOK -> webhook(config);
            case KAFKA -> kafka(config);
            case SQS -> sqs(config);
        };
    }

    private Parsed webhook(JsonNode config) {
        known(config, WEBHOOK_KEYS, "webhook");
        String url = urls.validate(CONFIG + ".url", string(config, "url", true, 2048)).toString();
        String secret = string(config, "secret", false, 200);
        String generated = null;
        if (secret == null) {
            secret = generated = WebhookSignature.newSecret();
        } else if (!WebhookSignature.isValidSecret(secret)) {
            throw new InvalidField(CONFIG + ".secret", "must be whsec_ followed by base64 of "
                    + WebhookSignature.MIN_KEY_BYTES + " to " + WebhookSignature.MAX_KEY_BYTES + " bytes");
        }
        Map<String, String> headers = headers(config.get("headers"));
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("url", url);
        Map<String, String> masked = new LinkedHashMap<>();
        headers.keySet().forEach(name -> masked.put(name, MASK));
        shown.put("headers", masked);
        Map<String, Object> hidden = new LinkedHashMap<>();
        hidden.put("secret", secret);
        hidden.put("headers", headers);
        return new Parsed(DestinationType.WEBHOOK, shown, hidden, generated);
    }

    private Map<String, String> headers(JsonNode node) {
        String field = CONFIG + ".headers";
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new InvalidField(field, "must be an object of header names to values");
        }
        if (node.size() > MAX_HEADERS) {
            throw new InvalidField(field, "must have at most " + MAX_HEADERS + " headers");
        }
        for (Map.Entry<String, JsonNode> header : node.properties()) {
            String name = header.getKey();
            String at = field + "." + name;
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new InvalidField(at, "is not a valid header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED_HEADERS.contains(lower) || lower.startsWith("webhook-")) {
                throw new InvalidField(at, "is set by the platform and cannot be replaced");
            }
            JsonNode value = header.getValue();
            if (value == null || !value.isString()) {
                throw new InvalidField(at, "must be a string");
            }
            String text = value.asString();
            if (text.length() > 1000 || text.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new InvalidField(at, "must be at most 1000 characters without line breaks");
            }
            headers.put(name, text);
        }
        return headers;
    }

    private Parsed kafka(JsonNode config) {
        known(config, KAFKA_KEYS, "kafka");
        String field = CONFIG + ".bootstrapServers";
        JsonNode node = config.get("bootstrapServers");
        List<String> raw = new ArrayList<>();
        if (node == null || node.isNull()) {
            throw new InvalidField(field, "is required");
        } else if (node.isString()) {
            for (String part : node.asString().split(",")) {
                raw.add(part.trim());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isString()) {
                    throw new InvalidField(field + "[" + i + "]", "must be a string host:port");
                }
                raw.add(item.asString().trim());
            }
        } else {
            throw new InvalidField(field, "must be host:port[,host:port…] or an array of host:port");
        }
        if (raw.isEmpty() || raw.size() > MAX_BOOTSTRAP_SERVERS) {
            throw new InvalidField(field, "must name 1 to " + MAX_BOOTSTRAP_SERVERS + " brokers");
        }
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            servers.add(brokers.validate(node.isArray() ? field + "[" + i + "]" : field, raw.get(i)));
        }
        String topic = string(config, "topic", true, 249);
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new InvalidField(CONFIG + ".topic", "must be 1 to 249 of the characters a-z A-Z 0-9 . _ -");
        }
        String clientId = string(config, "clientId", false, 100);
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new InvalidField(CONFIG + ".clientId", "must be 1 to 100 of the characters a-z A-Z 0-9 . _ -");
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("bootstrapServers", String.join(",", servers));
        shown.put("topic", topic);
        if (clientId != null) {
            shown.put("clientId", clientId);
        }
        return new Parsed(DestinationType.KAFKA, shown, Map.of(), null);
    }

    private Parsed sqs(JsonNode config) {
        known(config, SQS_KEYS, "sqs");
        String queueUrl = string(config, "queueUrl", true, 2048);
        URI queue = httpUrl(CONFIG + ".queueUrl", queueUrl);
        String region = string(config, "region", true, 40);
        if (!REGION.matcher(region).matches()) {
            throw new InvalidField(CONFIG + ".region", "must be an AWS region such as us-east-1");
        }
        String endpoint = string(config, "endpoint", false, 2048);
        if (endpoint != null) {
            endpoint = urls.validate(CONFIG + ".endpoint", endpoint).toString();
        }
        String accessKeyId = string(config, "accessKeyId", false, 128);
        String secretAccessKey = string(config, "secretAccessKey", false, 256);
        if (accessKeyId != null && !ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            throw new InvalidField(CONFIG + ".accessKeyId", "must be 16 to 128 upper-case letters and digits");
        }
        if (accessKeyId != null && secretAccessKey == null) {
            throw new InvalidField(CONFIG + ".secretAccessKey", "is required with accessKeyId");
        }
        if (secretAccessKey != null && accessKeyId == null) {
            throw new InvalidField(CONFIG + ".accessKeyId", "is required with secretAccessKey");
        }
        if (accessKeyId == null && !brokerSettings.sqsAllowPlatformCredentials()) {
            throw new InvalidField(CONFIG + ".accessKeyId", "is required: the destination must bring its own "
                    + "credentials");
        }
        String group = string(config, "messageGroupId", false, 128);
        if (group != null && !MESSAGE_GROUP.matcher(group).matches()) {
            throw new InvalidField(CONFIG + ".messageGroupId", "must be 1 to 128 printable ASCII characters");
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("queueUrl", queue.toString());
        shown.put("region", region);
        if (endpoint != null) {
            shown.put("endpoint", endpoint);
        }
        if (accessKeyId != null) {
            shown.put("accessKeyId", accessKeyId);
        }
        if (group != null) {
            shown.put("messageGroupId", group);
        }
        Map<String, Object> hidden = secretAccessKey == null ? Map.of() : Map.of("secretAccessKey", secretAccessKey);
        return new Parsed(DestinationType.SQS, shown, hidden, null);
    }

    /** The sealed form of the hidden settings, {@code null} when there are none. */
    byte[] seal(Map<String, Object> hidden) {
        return hidden.isEmpty() ? null : secrets.seal(json.writeValueAsString(hidden));
    }

    /** The destination deliveries go to, from the stored settings. */
    @SuppressWarnings("unchecked")
    Destination open(DestinationType type, Map<String, Object> shown, byte[] sealed) {
        Map<String, Object> hidden = sealed == null ? Map.of() : json.readValue(secrets.open(sealed), MAP);
        return switch (type) {
            case WEBHOOK -> new WebhookDestination(URI.create((String) shown.get("url")),
                    (String) hidden.get("secret"), (Map<String, String>) hidden.getOrDefault("headers", Map.of()));
            case KAFKA -> new KafkaDestination(List.of(((String) shown.get("bootstrapServers")).split(",")),
                    (String) shown.get("topic"), (String) shown.get("clientId"));
            case SQS -> new SqsDestination(URI.create((String) shown.get("queueUrl")), (String) shown.get("region"),
                    shown.get("endpoint") == null ? null : URI.create((String) shown.get("endpoint")),
                    (String) shown.get("accessKeyId"), (String) hidden.get("secretAccessKey"),
                    (String) shown.get("messageGroupId"));
        };
    }

    private static void known(JsonNode config, Set<String> keys, String type) {
        for (String name : config.propertyNames()) {
            if (!keys.contains(name)) {
                throw new InvalidField(CONFIG + "." + name, "is not a setting of a " + type + " destination");
            }
        }
    }

    private static String string(JsonNode config, String name, boolean required, int max) {
        String field = CONFIG + "." + name;
        JsonNode node = config.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidField(field, "is required");
            }
            return null;
        }
        if (!node.isString()) {
            throw new InvalidField(field, "must be a string");
        }
        String text = node.asString().trim();
        if (text.isEmpty()) {
            throw new InvalidField(field, required ? "is required" : "must not be blank");
        }
        if (text.length() > max) {
            throw new InvalidField(field, "must be at most " + max + " characters");
        }
        return text;
    }

    private static URI httpUrl(String field, String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.isAbsolute() && (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new InvalidField(field, "must be an absolute http or https URL");
    }
}
