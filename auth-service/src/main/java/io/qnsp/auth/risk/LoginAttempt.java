package io.qnsp.auth.risk;

import java.time.Instant;
import java.util.Locale;

/**
 * A login attempt to evaluate, as the caller saw it.
 *
 * @param userId            the user logging in, as the tenant identifies them
 * @param ipAddress         the client's IP address literal, or {@code null}
 * @param userAgent         the client's user agent, or {@code null}
 * @param location          where the client is, or {@code null}
 * @param deviceFingerprint an opaque identifier of the client device, or {@code null}
 * @param previousLoginAt   when the caller last saw this user log in, or {@code null}
 * @param failedAttempts    failed attempts the caller counted for this login (0 when unknown)
 */
public record LoginAttempt(String userId, String ipAddress, String userAgent, Location location,
                           String deviceFingerprint, Instant previousLoginAt, int failedAttempts) {

    public LoginAttempt {
        if (userId == null || userId.isBlank()) {
            throw new InvalidRiskInput("userId", "must not be blank");
        }
        userId = userId.strip();
        if (ipAddress != null) {
            ipAddress = ipAddress.strip();
            if (!NetworkAddresses.isLiteral(ipAddress)) {
                throw new InvalidRiskInput("ipAddress", "must be an IPv4 or IPv6 address");
            }
        }
        if (deviceFingerprint != null && deviceFingerprint.isBlank()) {
            throw new InvalidRiskInput("deviceFingerprint", "must not be blank");
        }
        if (failedAttempts < 0) {
            throw new InvalidRiskInput("sessionContext.failedAttempts", "must be greater than or equal to 0");
        }
    }

    /**
     * Where the login comes from; any part may be unknown, but a position has both coordinates.
     *
     * @param country   ISO 3166-1 alpha-2 code, upper case
     * @param city      the city's name
     * @param latitude  decimal degrees, −90 to 90
     * @param longitude decimal degrees, −180 to 180
     */
    public record Location(String country, String city, Double latitude, Double longitude) {

        public Location {
            if (country != null) {
                country = Countries.code(country, "geoLocation.country");
            }
            if (city != null) {
                city = city.strip();
                if (city.isEmpty()) {
                    throw new InvalidRiskInput("geoLocation.city", "must not be blank");
                }
            }
            if (latitude != null && (latitude.isNaN() || latitude < -90 || latitude > 90)) {
                throw new InvalidRiskInput("geoLocation.latitude", "must be between -90 and 90");
            }
            if (longitude != null && (longitude.isNaN() || longitude < -180 || longitude > 180)) {
                throw new InvalidRiskInput("geoLocation.longitude", "must be between -180 and 180");
            }
            if (latitude == null && longitude != null) {
                throw new InvalidRiskInput("geoLocation.latitude", "is required when longitude is given");
            }
            if (longitude == null && latitude != null) {
                throw new InvalidRiskInput("geoLocation.longitude", "is required when latitude is given");
            }
        }

        boolean hasPosition() {
            return latitude != null;
        }

        /** The place as people name it, e.g. {@code Paris, FR}. */
        String describe() {
            if (city != null && country != null) {
                return city + ", " + country;
            }
            if (city != null) {
                return city;
            }
            if (country != null) {
                return country;
            }
            return String.format(Locale.ROOT, "%.2f, %.2f", latitude, longitude);
        }
    }
}
