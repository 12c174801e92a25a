package io.qnsp.observability.anomaly;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a rule calls a minute anomalous, as its condition's type and parameters say.
 * <ul>
 * <li>{@code threshold}: the minute's value is above {@code above} or below {@code below} (at least one given).</li>
 * <li>{@code deviation}: the minute's robust z-score against the rolling baseline of the {@code baselineMinutes}
 * before it reaches {@code zScore} (default by sensitivity) in the {@code direction} given ({@code up},
 * {@code down} or {@code both}, default {@code both}).</li>
 * <li>{@code trend}: the mean of the last {@code windowMinutes} changed by at least {@code changePercent} (default
 * by sensitivity) against the mean of the window before, in the {@code direction} given.</li>
 * </ul>
 */
record Condition(String type, @Nullable Double above, @Nullable Double below, @Nullable Double zScore,
                 @Nullable Integer baselineMinutes, String direction, @Nullable Integer windowMinutes,
                 @Nullable Double changePercent) {

    static final List<String> TYPES = List.of("threshold", "deviation", "trend");
    static final List<String> DIRECTIONS = List.of("up", "down", "both");
    static final int MAX_BASELINE_MINUTES = 1440;
    static final int MAX_WINDOW_MINUTES = 720;

    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "threshold", Set.of("above", "below"),
            "deviation", Set.of("zScore", "baselineMinutes", "direction"),
            "trend", Set.of("windowMinutes", "changePercent", "direction"));

    /** The condition the request describes, or {@code null} with its problems added. */
    static @Nullable Condition parse(@Nullable String type, @Nullable Map<String, Object> parameters,
                                     InvalidField.Problems problems) {
        InvalidField.Problems own = new InvalidField.Problems();
        Condition condition = parseInto(type, parameters, own);
        if (!own.isEmpty()) {
            try {
                own.throwIfAny();
            } catch (InvalidField invalid) {
                problems.addAll(invalid);
            }
            return null;
        }
        return condition;
    }

    private static @Nullable Condition parseInto(@Nullable String type, @Nullable Map<String, Object> parameters,
                                                 InvalidField.Problems problems) {
        if (type == null) {
            problems.add("condition.type", "is required");
            return null;
        }
        if (!TYPES.contains(type)) {
            problems.add("condition.type", "must be one of " + TYPES);
            return null;
        }
        Map<String, Object> given = parameters == null ? Map.of() : parameters;
        for (String name : given.keySet()) {
            if (!PARAMETERS.get(type).contains(name)) {
                problems.add("condition.parameters." + name, "is not a parameter of a " + type + " condition; "
                        + "it takes " + PARAMETERS.get(type).stream().sorted().toList());
            }
        }
        Double above = number(given, "above", problems);
        Double below = number(given, "below", problems);
        Double zScore = number(given, "zScore", problems);
        Double changePercent = number(given, "changePercent", problems);
        Integer baselineMinutes = whole(given, "baselineMinutes", 5, MAX_BASELINE_MINUTES, problems);
        Integer windowMinutes = whole(given, "windowMinutes", 1, MAX_WINDOW_MINUTES, problems);
        String direction = "both";
        Object directionGiven = given.get("direction");
        if (directionGiven != null) {
            if (directionGiven instanceof String text && DIRECTIONS.contains(text)) {
                direction = text;
            } else {
                problems.add("condition.parameters.direction", "must be one of " + DIRECTIONS);
            }
        }
        if ("threshold".equals(type) && above == null && below == null && !given.containsKey("above")
                && !given.containsKey("below")) {
            problems.add("condition.parameters.above", "or below is required for a threshold condition");
        }
        if (above != null && below != null && below >= above) {
            problems.add("condition.parameters.below", "must be less than above");
        }
        if (zScore != null && zScore <= 0) {
            problems.add("condition.parameters.zScore", "must be greater than 0");
        }
        if (changePercent != null && changePercent <= 0) {
            problems.add("condition.parameters.changePercent", "must be greater than 0");
        }
        return problems.isEmpty() ? new Condition(type, above, below, zScore, baselineMinutes, direction,
                windowMinutes, changePercent) : null;
    }

    /** The parameters as stored and shown: the ones given, normalized. */
    Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        switch (type) {
            case "threshold" -> {
                put(parameters, "above", above);
                put(parameters, "below", below);
            }
            case "deviation" -> {
                put(parameters, "zScore", zScore);
                put(parameters, "baselineMinutes", baselineMinutes);
                parameters.put("direction", direction);
            }
            default -> {
                put(parameters, "windowMinutes", windowMinutes);
                put(parameters, "changePercent", changePercent);
                parameters.put("direction", direction);
            }
        }
        return parameters;
    }

    /** Reads back stored parameters, which were validated when the rule was created. */
    static Condition stored(String type, Map<String, Object> parameters) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Condition condition = parse(type, parameters, problems);
        if (condition == null) {
            throw new IllegalStateException("stored condition no longer valid: " + type + " " + parameters);
        }
        return condition;
    }

    boolean watchesUp() {
        return !"down".equals(direction);
    }

    boolean watchesDown() {
        return !"up".equals(direction);
    }

    private static void put(Map<String, Object> parameters, String name, @Nullable Object value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }

    private static @Nullable Double number(Map<String, Object> given, String name, InvalidField.Problems problems) {
        Object value = given.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        problems.add("condition.parameters." + name, "must be a number");
        return null;
    }

    private static @Nullable Integer whole(Map<String, Object> given, String name, int min, int max,
                                           InvalidField.Problems problems) {
        Object value = given.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && number.doubleValue() >= min && number.doubleValue() <= max) {
            return number.intValue();
        }
        problems.add("condition.parameters." + name, "must be a whole number from " + min + " to " + max);
        return null;
    }
}
