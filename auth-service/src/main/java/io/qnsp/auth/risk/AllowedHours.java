package io.qnsp.auth.risk;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The hours of the day logins are expected, in a time zone: from {@code start}:00 up to, not including,
 * {@code end}:00 local time. A window whose end is before its start wraps midnight ({@code 22}–{@code 6} is
 * 22:00–05:59); {@code start} equal to {@code end} would be every hour or none, so it is refused.
 *
 * @param start first allowed hour, 0–23
 * @param end   first hour no longer allowed, 0–23
 * @param zone  an IANA time zone, e.g. {@code Europe/Paris}
 */
public record AllowedHours(int start, int end, ZoneId zone) {

    static final String START_FIELD = "conditions.timeRestrictions.allowedHours.start";
    static final String END_FIELD = "conditions.timeRestrictions.allowedHours.end";
    static final String ZONE_FIELD = "conditions.timeRestrictions.timezone";

    public AllowedHours {
        if (start < 0 || start > 23) {
            throw new InvalidRiskInput(START_FIELD, "must be an hour between 0 and 23");
        }
        if (end < 0 || end > 23) {
            throw new InvalidRiskInput(END_FIELD, "must be an hour between 0 and 23");
        }
        if (start == end) {
            throw new InvalidRiskInput(END_FIELD,
                    "must differ from start (the window runs from start up to, not including, end)");
        }
        if (zone == null) {
            throw new InvalidRiskInput(ZONE_FIELD, "is required");
        }
    }

    /** Hours in an IANA zone given by name, e.g. {@code America/New_York}; {@code UTC} when none is named. */
    public static AllowedHours of(int start, int end, String timezone) {
        return new AllowedHours(start, end, zone(timezone));
    }

    private static ZoneId zone(String timezone) {
        if (timezone == null) {
            return ZoneId.of("UTC");
        }
        // ids of the tz database only: a fixed offset ignores daylight saving, which a policy author rarely means
        if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
            throw new InvalidRiskInput(ZONE_FIELD, "must be an IANA time zone such as Europe/Paris");
        }
        return ZoneId.of(timezone);
    }

    /** Whether the instant falls in the window, read on the zone's wall clock. */
    public boolean contains(Instant instant) {
        int hour = instant.atZone(zone).getHour();
        return start < end ? hour >= start && hour < end : hour >= start || hour < end;
    }

    /** The window as people write it, e.g. {@code 09:00–17:00 Europe/Paris}. */
    String describe() {
        return String.format("%02d:00–%02d:00 %s", start, end, zone.getId());
    }
}
