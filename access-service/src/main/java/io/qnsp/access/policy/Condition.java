package io.qnsp.access.policy;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One test a policy makes on the request: an attribute, an operator and its operand, e.g.
 * {@code resource.classification equals "public"} or {@code environment.sourceIp cidr ["10.0.0.0/8"]}.
 * A condition on an attribute the request does not carry never holds.
 *
 * @param description how the reasons of a decision name it
 */
public record Condition(String attribute, Operator operator, Object operand, String description) {

    /** The operators a policy's conditions may use, by their JSON names. */
    public enum Operator {
        EQUALS("equals"), IN("in"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), AFTER("after"), BEFORE("before"),
        TIME_OF_DAY("timeOfDay"), CIDR("cidr");

        final String apiName;

        Operator(String apiName) {
            this.apiName = apiName;
        }

        static @Nullable Operator fromApiName(String name) {
            for (Operator operator : values()) {
                if (operator.apiName.equals(name)) {
                    return operator;
                }
            }
            return null;
        }

        static List<String> apiNames() {
            return java.util.Arrays.stream(values()).map(o -> o.apiName).toList();
        }
    }

    /** The attributes a condition may test besides {@code resource.<name>} and {@code environment.<name>}. */
    public static final Set<String> PLAIN_ATTRIBUTES = Set.of("time", "action", "principal.id", "principal.type",
            "principal.groups", "resource.id", "resource.type");

    /** A time-of-day window in UTC; {@code end} before {@code start} spans midnight. */
    record Window(LocalTime start, LocalTime end) {

        boolean contains(LocalTime time) {
            return start.isBefore(end) || start.equals(end)
                    ? !time.isBefore(start) && time.isBefore(end)
                    : !time.isBefore(start) || time.isBefore(end);
        }
    }

    /** An IP network: its address bytes and prefix length. */
    record Cidr(String text, byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** Whether the condition holds for the request evaluated at the time given. */
    public boolean holds(AccessRequest request, Instant evaluatedAt) {
        Object value = valueOf(attribute, request, evaluatedAt);
        if (value == null) {
            return false;
        }
        return switch (operator) {
            case EQUALS -> anyElement(value, element -> operand.equals(scalar(element)));
            case IN -> anyElement(value, element -> ((Set<?>) operand).contains(scalar(element)));
            case GT, GTE, LT, LTE -> {
                BigDecimal number = number(value);
                if (number == null) {
                    yield false;
                }
                int comparison = number.compareTo((BigDecimal) operand);
                yield switch (operator) {
                    case GT -> comparison > 0;
                    case GTE -> comparison >= 0;
                    case LT -> comparison < 0;
                    default -> comparison <= 0;
                };
            }
            case AFTER, BEFORE -> {
                Instant instant = instant(value);
                yield instant != null && (operator == Operator.AFTER ? instant.isAfter((Instant) operand)
                        : instant.isBefore((Instant) operand));
            }
            case TIME_OF_DAY -> {
                Instant instant = instant(value);
                yield instant != null && ((Window) operand).contains(LocalTime.ofInstant(instant, ZoneOffset.UTC));
            }
            case CIDR -> {
                byte[] address = value instanceof String text ? ipAddress(text) : null;
                if (address == null) {
                    yield false;
                }
                for (Object cidr : (List<?>) operand) {
                    if (((Cidr) cidr).contains(address)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static boolean anyElement(Object value, java.util.function.Predicate<Object> test) {
        if (value instanceof Collection<?> values) {
            for (Object element : values) {
                if (element != null && test.test(element)) {
                    return true;
                }
            }
            return false;
        }
        return test.test(value);
    }

    private static @Nullable Object valueOf(String attribute, AccessRequest request, Instant evaluatedAt) {
        return switch (attribute) {
            case "time" -> request.timestamp() != null ? request.timestamp() : evaluatedAt;
            case "action" -> request.action();
            case "principal.id" -> request.principal().id();
            case "principal.type" -> request.principal().type();
            case "principal.groups" -> request.principal().groups();
            case "resource.id" -> request.resource().id();
            case "resource.type" -> request.resource().type();
            default -> attribute.startsWith("resource.")
                    ? path(request.resource().attributes(), attribute.substring("resource.".length()))
                    : path(request.environment(), attribute.substring("environment.".length()));
        };
    }

    private static @Nullable Object path(Map<String, Object> attributes, String path) {
        Object value = attributes.get(path);
        if (value != null || path.indexOf('.') < 0) {
            return value;
        }
        Object current = attributes;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    /** A JSON scalar in the form equality compares: numbers by value, strings and booleans as they are. */
    static @Nullable Object scalar(@Nullable Object value) {
        if (value instanceof Number number) {
            try {
                return new BigDecimal(number.toString()).stripTrailingZeros();
            } catch (NumberFormatException notFinite) {
                return null;
            }
        }
        return value instanceof String || value instanceof Boolean ? value : null;
    }

    private static @Nullable BigDecimal number(Object value) {
        try {
            if (value instanceof Number number) {
                return new BigDecimal(number.toString());
            }
            if (value instanceof String text) {
                return new BigDecimal(text.strip());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static @Nullable Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof String text) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    /** The bytes of an IP literal (never a host name: nothing is looked up), or {@code null}. */
    static byte @Nullable [] ipAddress(String text) {
        String literal = text.strip();
        if (literal.isEmpty() || !(literal.indexOf(':') >= 0 || Character.isDigit(literal.charAt(0)))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(literal).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- parsing a policy's "conditions" object ----

    /**
     * The conditions a policy's {@code conditions} object spells: each key names an attribute, each value is either
     * an object of operators ({@code {"gte": 10, "lt": 20}}: all must hold) or a shorthand: a scalar for
     * {@code equals}, an array for {@code in}.
     */
    public static List<Condition> parseAll(@Nullable Map<String, Object> conditions, String field,
                                           InvalidField.Problems problems) {
        List<Condition> parsed = new ArrayList<>();
        if (conditions == null) {
            return parsed;
        }
        for (Map.Entry<String, Object> entry : conditions.entrySet()) {
            String attribute = entry.getKey();
            String at = field + "." + attribute;
            if (!PLAIN_ATTRIBUTES.contains(attribute)
                    && !(attribute.startsWith("resource.") && attribute.length() > "resource.".length())
                    && !(attribute.startsWith("environment.") && attribute.length() > "environment.".length())) {
                problems.add(at, "names no attribute: use resource.<name>, environment.<name> or one of "
                        + new java.util.TreeSet<>(PLAIN_ATTRIBUTES));
                continue;
            }
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> operators) {
                if (operators.isEmpty()) {
                    problems.add(at, "must name at least one operator of " + Operator.apiNames());
                }
                for (Map.Entry<?, ?> operator : operators.entrySet()) {
                    Operator parsedOperator = Operator.fromApiName(String.valueOf(operator.getKey()));
                    if (parsedOperator == null) {
                        problems.add(at + "." + operator.getKey(), "is no operator: must be one of "
                                + Operator.apiNames());
                        continue;
                    }
                    Condition condition = of(attribute, parsedOperator, operator.getValue(),
                            at + "." + operator.getKey(), problems);
                    if (condition != null) {
                        parsed.add(condition);
                    }
                }
            } else {
                Condition condition = of(attribute, value instanceof List<?> ? Operator.IN : Operator.EQUALS, value,
                        at, problems);
                if (condition != null) {
                    parsed.add(condition);
                }
            }
        }
        return parsed;
    }

    private static @Nullable Condition of(String attribute, Operator operator, @Nullable Object operand, String at,
                                          InvalidField.Problems problems) {
        String name = attribute + " " + operator.apiName + " ";
        switch (operator) {
            case EQUALS -> {
                Object scalar = scalar(operand);
                if (scalar == null) {
                    problems.add(at, "must be a string, number or boolean");
                    return null;
                }
                return new Condition(attribute, operator, scalar, name + render(operand));
            }
            case IN -> {
                if (!(operand instanceof List<?> values) || values.isEmpty()) {
                    problems.add(at, "must be a non-empty array of strings, numbers or booleans");
                    return null;
                }
                Set<Object> set = new LinkedHashSet<>();
                for (Object element : values) {
                    Object scalar = scalar(element);
                    if (scalar == null) {
                        problems.add(at, "must hold only strings, numbers or booleans");
                        return null;
                    }
                    set.add(scalar);
                }
                return new Condition(attribute, operator, Set.copyOf(set), name + render(operand));
            }
            case GT, GTE, LT, LTE -> {
                BigDecimal number = operand instanceof Number ? number(operand) : null;
                if (number == null) {
                    problems.add(at, "must be a number");
                    return null;
                }
                return new Condition(attribute, operator, number, name + render(operand));
            }
            case AFTER, BEFORE -> {
                Instant instant = operand instanceof String text ? instant(text) : null;
                if (instant == null) {
                    problems.add(at, "must be an ISO 8601 date-time with offset, e.g. 2025-01-31T09:00:00Z");
                    return null;
                }
                return new Condition(attribute, operator, instant, name + render(operand));
            }
            case TIME_OF_DAY -> {
                if (!(operand instanceof Map<?, ?> window) || !(window.get("start") instanceof String start)
                        || !(window.get("end") instanceof String end)) {
                    problems.add(at, "must be an object {\"start\": \"HH:mm\", \"end\": \"HH:mm\"} (UTC)");
                    return null;
                }
                try {
                    Window parsed = new Window(LocalTime.parse(start), LocalTime.parse(end));
                    return new Condition(attribute, operator, parsed, name + start + "-" + end + " UTC");
                } catch (DateTimeParseException e) {
                    problems.add(at, "must be an object {\"start\": \"HH:mm\", \"end\": \"HH:mm\"} (UTC)");
                    return null;
                }
            }
            case CIDR -> {
                List<?> texts = operand instanceof String single ? List.of(single)
                        : operand instanceof List<?> list ? list : null;
                if (texts == null || texts.isEmpty()) {
                    problems.add(at, "must be a CIDR block or a non-empty array of them, e.g. 10.0.0.0/8");
                    return null;
                }
                List<Cidr> blocks = new ArrayList<>();
                for (Object text : texts) {
                    Cidr cidr = text instanceof String block ? cidr(block) : null;
                    if (cidr == null) {
                        problems.add(at, "holds " + render(text) + ", which is no CIDR block (e.g. 10.0.0.0/8, "
                                + "2001:db8::/32)");
                        return null;
                    }
                    blocks.add(cidr);
                }
                return new Condition(attribute, operator, List.copyOf(blocks), name + render(operand));
            }
        }
        return null;
    }

    static @Nullable Cidr cidr(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = ipAddress(address);
        if (bytes == null) {
            return null;
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                return null;
            }
        }
        return new Cidr(text, bytes, prefix);
    }

    private static String render(@Nullable Object value) {
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Condition::render).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
