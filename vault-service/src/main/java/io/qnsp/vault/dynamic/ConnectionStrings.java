package io.qnsp.vault.dynamic;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a backend's {@code connectionString}: {@code jdbc:postgresql://host[:port]/database[?options]}, or
 * {@code jdbc:mysql://} / {@code jdbc:mariadb://} for MySQL and MariaDB. Only the options named here are accepted:
 * the account ({@code user}, {@code password}) and the TLS mode. Any other driver property is refused, because
 * several of them make a driver load classes, read or write local files, or deserialize what the server sends
 * ({@code socketFactory}, {@code loggerFile}, {@code allowLoadLocalInfile}, {@code autoDeserialize}, ...): the vault
 * builds the URL it connects with itself, from these parts only. Problems never quote the text, which may hold a
 * password.
 */
final class ConnectionStrings {

    static final String FIELD = "backend.connectionString";
    static final int MAX_LENGTH = 2048;

    private static final Map<BackendType, Map<String, Set<String>>> OPTIONS = Map.of(
            BackendType.POSTGRES, Map.of("sslmode",
                    Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")),
            BackendType.MYSQL, Map.of("sslMode", Set.of("disable", "trust", "verify-ca", "verify-full")));
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.]{1,40}");

    /** The parts accepted; {@code user} and {@code password} when the string carries them. */
    record Parsed(String host, int port, String database, Map<String, String> options, @Nullable String user,
                  @Nullable String password) {

        @Override
        public String toString() {
            return "Parsed[host=" + host + ", port=" + port + ", database=" + database + ", user=***, password=***]";
        }
    }

    private ConnectionStrings() {
    }

    /** The parts of the string, or {@code null} with its problems added. */
    static @Nullable Parsed parse(String text, BackendType type, List<String> allowedHosts,
                                  InvalidField.Problems problems) {
        if (text.length() > MAX_LENGTH) {
            problems.add(FIELD, "must be at most " + MAX_LENGTH + " characters");
            return null;
        }
        String prefix = type.urlPrefixes().stream().filter(text::startsWith).findFirst().orElse(null);
        if (prefix == null) {
            problems.add(FIELD, "must be a JDBC URL starting with " + String.join(" or ", type.urlPrefixes())
                    + " for a " + type.value() + " backend");
            return null;
        }
        String rest = text.substring(prefix.length());
        String query = null;
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        if (rest.contains("@")) {
            problems.add(FIELD, "must not hold an account before the host: give it as credentials");
            return null;
        }
        if (rest.contains(",")) {
            problems.add(FIELD, "must name one host (several hosts are not supported)");
            return null;
        }
        String host;
        String afterHost;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            host = close < 0 ? "" : rest.substring(1, close);
            afterHost = close < 0 ? "" : rest.substring(close + 1);
            if (!IPV6.matcher(host).matches()) {
                problems.add(FIELD, "must name a host: a name, an IPv4 address or an IPv6 address in brackets");
                return null;
            }
        } else {
            int end = 0;
            while (end < rest.length() && rest.charAt(end) != ':' && rest.charAt(end) != '/') {
                end++;
            }
            host = rest.substring(0, end);
            afterHost = rest.substring(end);
            if (host.length() > 253 || !HOST_NAME.matcher(host).matches()) {
                problems.add(FIELD, "must name a host: a name, an IPv4 address or an IPv6 address in brackets");
                return null;
            }
        }
        int port = type == BackendType.POSTGRES ? 5432 : 3306;
        if (afterHost.startsWith(":")) {
            int slash = afterHost.indexOf('/');
            String digits = slash < 0 ? afterHost.substring(1) : afterHost.substring(1, slash);
            try {
                port = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535 || !digits.chars().allMatch(Character::isDigit)) {
                problems.add(FIELD, "must have a port from 1 to 65535 after the host");
                return null;
            }
            afterHost = slash < 0 ? "" : afterHost.substring(slash);
        }
        if (!afterHost.startsWith("/") || !DATABASE.matcher(afterHost.substring(1)).matches()) {
            problems.add(FIELD, "must name the database after the host: /name, of letters, digits and _ . $ -, "
                    + "at most 63 characters");
            return null;
        }
        String database = afterHost.substring(1);
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(allowed -> matches(allowed, host))) {
            problems.add(FIELD, "names a host that backends may not be on (qnsp.vault.dynamic.allowed-hosts)");
            return null;
        }
        Map<String, String> options = new LinkedHashMap<>();
        String user = null;
        String password = null;
        if (query != null && !query.isEmpty()) {
            Map<String, Set<String>> allowed = OPTIONS.get(type);
            List<String> names = new java.util.ArrayList<>(List.of("user", "password"));
            names.addAll(allowed.keySet());
            Set<String> seen = new java.util.HashSet<>();
            for (String pair : query.split("&", -1)) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value;
                try {
                    value = URLDecoder.decode(equals < 0 ? "" : pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    problems.add(FIELD, "has an option whose value is not well percent-encoded");
                    return null;
                }
                if (!seen.add(name)) {
                    problems.add(FIELD, "has an option given twice");
                    return null;
                }
                switch (name) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> {
                        Set<String> values = allowed.get(name);
                        if (values == null) {
                            problems.add(FIELD, "has an option that is not allowed"
                                    + (SAFE_NAME.matcher(name).matches() ? " (" + name + ")" : "")
                                    + "; allowed: " + String.join(", ", names));
                            return null;
                        }
                        if (!values.contains(value)) {
                            problems.add(FIELD, "option " + name + " must be one of "
                                    + String.join(", ", values.stream().sorted().toList()));
                            return null;
                        }
                        options.put(name, value);
                    }
                }
            }
        }
        return new Parsed(host.toLowerCase(Locale.ROOT), port, database, options, user, password);
    }

    private static boolean matches(String allowed, String host) {
        String pattern = allowed.strip().toLowerCase(Locale.ROOT);
        String candidate = host.toLowerCase(Locale.ROOT);
        if (pattern.startsWith("*.")) {
            return candidate.endsWith(pattern.substring(1)) && candidate.length() > pattern.length() - 1;
        }
        return candidate.equals(pattern);
    }
}
