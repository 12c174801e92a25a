package io.qnsp.common.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform's log line is Spring Boot's logstash line, byte for byte, whatever the event holds. */
class JsonLogLinesTests {

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("io.qnsp.example.Component");
    private final TimeZone defaultZone = TimeZone.getDefault();

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(defaultZone);
    }

    @Test
    void aPlainEventIsWrittenAsSpringBootsLogstashFormatWritesIt() {
        LoggingEvent event = event(Level.INFO, "POST /v1/check 200 0ms", null);
        event.setMDCPropertyMap(Map.of("requestId", "req_01ABC"));

        assertSameLines(event);
        assertThat(encode("io.qnsp.common.observability.JsonLogLines", event))
                .startsWith("{\"@timestamp\":\"")
                .contains("\"message\":\"POST /v1/check 200 0ms\"", "\"requestId\":\"req_01ABC\"",
                        "\"level\":\"INFO\",\"level_value\":20000")
                .endsWith("}\n");
    }

    @Test
    void textThatNeedsEscapingMarkersKeyValuePairsAndStackTracesMatch() {
        LoggingEvent event = event(Level.WARN, "quote \" backslash \\ slash / newline \n tab \t cr \r bell \u0007"
                + " del \u007f c1 \u0085 form \f back \b unicode é ✓ 😀", new IllegalStateException("went \"wrong\"",
                new IllegalArgumentException("cause\nline")));
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("requestId", "req_\"odd\"");
        mdc.put("tenant", "t-1");
        event.setMDCPropertyMap(mdc);
        var marker = MarkerFactory.getDetachedMarker("audit");
        marker.add(MarkerFactory.getDetachedMarker("security"));
        event.addMarker(marker);
        event.addMarker(MarkerFactory.getDetachedMarker("audit"));
        event.addKeyValuePair(new KeyValuePair("count", 42));
        event.addKeyValuePair(new KeyValuePair("big", 9_000_000_000L));
        event.addKeyValuePair(new KeyValuePair("flag", true));
        event.addKeyValuePair(new KeyValuePair("name", "a \"b\""));

        assertSameLines(event);
    }

    @Test
    void timestampsMatchTheIsoFormatterForEveryPrecisionAndOffset() {
        Random random = new Random(7);
        for (String zone : new String[] {"UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"}) {
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            JsonLogLines zoned = new JsonLogLines(null, new ch.qos.logback.classic.pattern.ThrowableProxyConverter());
            for (int i = 0; i < 2_000; i++) {
                long second = 1_700_000_000L + random.nextInt(200_000_000);
                int nanos = switch (i % 5) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(1000) * 1_000_000;
                    case 2 -> random.nextInt(1_000_000) * 1_000;
                    case 3 -> random.nextInt(1_000_000_000);
                    default -> 100_000_000;
                };
                Instant instant = Instant.ofEpochSecond(second, nanos);
                StringBuilder written = new StringBuilder();
                zoned.timestamp(instant, written);
                assertThat(written.toString()).as("%s in %s", instant, zone).isEqualTo(
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(instant,
                                ZoneId.of(zone))));
                // the same second again, with another fraction: the cached second must not leak its fraction
                Instant sameSecond = Instant.ofEpochSecond(second, (nanos + 1) % 1_000_000_000);
                written.setLength(0);
                zoned.timestamp(sameSecond, written);
                assertThat(written.toString()).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        OffsetDateTime.ofInstant(sameSecond, ZoneId.of(zone))));
            }
        }
        StringBuilder utc = new StringBuilder();
        TimeZone.setDefault(TimeZone.getTimeZone(ZoneOffset.UTC));
        new JsonLogLines(null, new ch.qos.logback.classic.pattern.ThrowableProxyConverter())
                .timestamp(Instant.parse("2026-12-07T13:00:00.120Z"), utc);
        assertThat(utc).hasToString("2026-12-07T13:00:00.12Z");
    }

    @Test
    void aNullMessageAndAnEventWithoutMdcMatch() {
        LoggingEvent event = event(Level.ERROR, null, null);
        event.setMDCPropertyMap(Map.of());

        assertSameLines(event);
    }

    private LoggingEvent event(Level level, String message, Throwable throwable) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, throwable, null);
        event.setThreadName("reactor-http-epoll-1");
        event.setInstant(Instant.parse("2026-12-07T13:45:12.345678Z"));
        return event;
    }

    private void assertSameLines(LoggingEvent event) {
        assertThat(encode("io.qnsp.common.observability.JsonLogLines", event))
                .isEqualTo(encode("logstash", event));
    }

    private String encode(String format, LoggingEvent event) {
        context.putObject(Environment.class.getName(), new StandardEnvironment());
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        try {
            return new String(encoder.encode(event), StandardCharsets.UTF_8);
        } finally {
            encoder.stop();
        }
    }
}
