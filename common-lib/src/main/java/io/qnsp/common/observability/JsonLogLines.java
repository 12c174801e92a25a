package io.qnsp.common.observability;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.StackTracePrinter;
import org.springframework.boot.logging.structured.StructuredLogFormatter;

import java.nio.charset.Charset;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platform's console log line: Spring Boot's {@code logstash} layout, byte for byte (the same fields in the same
 * order, the same escaping and timestamp), written straight into one string. Spring Boot's own formatter writes
 * its JSON a character at a time through a charset encoder, which cost the decision server about a sixth of its CPU
 * for one access-log line per check (docs/performance.md).
 * <p>
 * Fields: {@code @timestamp} (ISO-8601 with the zone's offset), {@code @version}, {@code message},
 * {@code logger_name}, {@code thread_name}, {@code level}, {@code level_value}, then the MDC entries and the event's
 * key-value pairs as top-level fields, {@code tags} (the markers) and {@code stack_trace} when present. The
 * {@code logging.structured.json.*} customisations of Spring Boot's formats do not apply; an operator who needs
 * them sets {@code logging.structured.format.console=logstash}, which writes the same lines more slowly.
 */
public final class JsonLogLines implements StructuredLogFormatter<ILoggingEvent> {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The second a timestamp's text was last built for, with its text up to the seconds and its offset. */
    private record Second(long epochSecond, String dateTime, String offset) {
    }

    private final @Nullable StackTracePrinter stackTracePrinter;
    private final ThrowableProxyConverter throwableProxyConverter;
    private final ZoneId zone = ZoneId.systemDefault();
    private volatile Second second = new Second(Long.MIN_VALUE, "", "");

    /** The parameters Spring Boot's structured logging passes to a formatter it creates by class name. */
    public JsonLogLines(@Nullable StackTracePrinter stackTracePrinter, ThrowableProxyConverter throwableProxyConverter) {
        this.stackTracePrinter = stackTracePrinter;
        this.throwableProxyConverter = throwableProxyConverter;
    }

    @Override
    public String format(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(320);
        line.append("{\"@timestamp\":\"");
        timestamp(event.getInstant(), line);
        line.append("\",\"@version\":\"1\",\"message\":");
        string(event.getFormattedMessage(), line);
        line.append(",\"logger_name\":");
        string(event.getLoggerName(), line);
        line.append(",\"thread_name\":");
        string(event.getThreadName(), line);
        line.append(",\"level\":");
        string(event.getLevel().toString(), line);
        line.append(",\"level_value\":").append(event.getLevel().toInt());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                member(entry.getKey(), entry.getValue(), line);
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                member(pair.key, pair.value, line);
            }
        }
        List<Marker> markers = event.getMarkerList();
        if (markers != null && !markers.isEmpty()) {
            Set<String> tags = new LinkedHashSet<>();
            addMarkers(markers.iterator(), tags);
            line.append(",\"tags\":[");
            boolean first = true;
            for (String tag : tags) {
                if (!first) {
                    line.append(',');
                }
                string(tag, line);
                first = false;
            }
            line.append(']');
        }
        if (event.getThrowableProxy() != null) {
            line.append(",\"stack_trace\":");
            string(stackTrace(event), line);
        }
        return line.append("}\n").toString();
    }

    @Override
    public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
        return format(event).getBytes(charset);
    }

    private String stackTrace(ILoggingEvent event) {
        if (stackTracePrinter != null && event.getThrowableProxy() instanceof
                ch.qos.logback.classic.spi.ThrowableProxy proxy) {
            return stackTracePrinter.printStackTraceToString(proxy.getThrowable());
        }
        return throwableProxyConverter.convert(event);
    }

    private static void addMarkers(Iterator<Marker> markers, Set<String> tags) {
        while (markers.hasNext()) {
            Marker marker = markers.next();
            tags.add(marker.getName());
            if (marker.hasReferences()) {
                addMarkers(marker.iterator(), tags);
            }
        }
    }

    /** A top-level field for an MDC entry or a key-value pair; a key whose value is null is written as null. */
    private static void member(String key, @Nullable Object value, StringBuilder line) {
        line.append(',');
        string(key, line);
        line.append(':');
        if (value == null) {
            line.append("null");
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            line.append(value);
        } else {
            string(value.toString(), line);
        }
    }

    /** ISO-8601 with the offset, as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it. */
    void timestamp(Instant instant, StringBuilder line) {
        Second current = second;
        if (current.epochSecond() != instant.getEpochSecond()) {
            OffsetDateTime whole = OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), zone);
            current = new Second(instant.getEpochSecond(),
                    DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(whole.toLocalDateTime()), whole.getOffset().getId());
            second = current;
        }
        line.append(current.dateTime());
        int nanos = instant.getNano();
        if (nanos != 0) {
            // the fraction's digits without trailing zeros, as the ISO formatter prints it
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            line.append('.');
            String fraction = Integer.toString(nanos);
            for (int pad = fraction.length(); pad < digits; pad++) {
                line.append('0');
            }
            line.append(fraction);
        }
        line.append(current.offset());
    }

    /** A JSON string, escaped as Spring Boot's JSON writer escapes it. */
    static void string(@Nullable String text, StringBuilder line) {
        if (text == null) {
            line.append("null");
            return;
        }
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\b' -> line.append("\\b");
                case '\f' -> line.append("\\f");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
