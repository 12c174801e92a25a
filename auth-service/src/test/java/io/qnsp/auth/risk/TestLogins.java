package io.qnsp.auth.risk;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request bodies for {@code POST /auth/risk/evaluate}: {@code TestLogins.of("u1").from(PARIS).device("a").body()}. */
final class TestLogins {

    static final City PARIS = new City("FR", "Paris", 48.8566, 2.3522);
    static final City LYON = new City("FR", "Lyon", 45.7640, 4.8357);
    static final City LONDON = new City("GB", "London", 51.5074, -0.1278);
    static final City TOKYO = new City("JP", "Tokyo", 35.6762, 139.6503);
    static final City NEW_YORK = new City("US", "New York", 40.7128, -74.0060);

    private TestLogins() {
    }

    record City(String country, String city, double latitude, double longitude) {

        Map<String, Object> geoLocation() {
            return Map.of("country", country, "city", city, "latitude", latitude, "longitude", longitude);
        }
    }

    static Login of(String userId) {
        return new Login(userId);
    }

    /** A login attempt under construction. */
    static final class Login {

        private final Map<String, Object> body = new LinkedHashMap<>();
        private final Map<String, Object> session = new LinkedHashMap<>();

        private Login(String userId) {
            body.put("userId", userId);
            body.put("ipAddress", "203.0.113.10");
            body.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
        }

        Login from(City city) {
            body.put("geoLocation", city.geoLocation());
            return this;
        }

        Login device(String fingerprint) {
            body.put("deviceFingerprint", fingerprint);
            return this;
        }

        Login ip(String address) {
            body.put("ipAddress", address);
            return this;
        }

        Login previousLoginAt(Instant at) {
            session.put("previousLoginAt", at.toString());
            return this;
        }

        Login failedAttempts(int count) {
            session.put("failedAttempts", count);
            return this;
        }

        Map<String, Object> body() {
            Map<String, Object> copy = new LinkedHashMap<>(body);
            if (!session.isEmpty()) {
                copy.put("sessionContext", new LinkedHashMap<>(session));
            }
            return copy;
        }
    }
}
