package io.qnsp.vault.dynamic;

import org.jspecify.annotations.Nullable;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the account of a lease is named. A template is lowercase letters, digits and {@code _}, starting with a
 * letter, with placeholders: {@code {{name}}} (the config's name, lowercased, each run of other characters made one
 * {@code _}, at most 16 characters), {@code {{random}}} (10 random lowercase letters and digits; required, so that
 * no two leases share an account) and {@code {{unix_time}}} (seconds since 1970). Whatever the config's name holds,
 * a username is therefore only ever {@code [a-z][a-z0-9_]*}: it is still quoted as an identifier wherever it goes
 * into SQL.
 */
final class UsernameTemplate {

    static final String FIELD = "template.usernameTemplate";
    static final String DEFAULT = "v_{{name}}_{{random}}";
    static final int MAX_TEMPLATE_LENGTH = 256;

    private static final Pattern TEMPLATE = Pattern.compile("([a-z0-9_]|\\{\\{(name|random|unix_time)}})+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(name|random|unix_time)}}");
    /** Every username the vault creates matches this, whatever the template and the name. */
    static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final int NAME_LENGTH = 16;
    private static final int RANDOM_LENGTH = 10;
    private static final int UNIX_TIME_LENGTH = 10;
    private static final String RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String template;

    private UsernameTemplate(String template) {
        this.template = template;
    }

    String text() {
        return template;
    }

    /**
     * The template, or the reason it is refused: its syntax, a missing {@code {{random}}}, or a username that could
     * grow longer than the backend allows once the config's name is put in.
     */
    static UsernameTemplate parse(String template, String configName, BackendType backend) {
        if (template.length() > MAX_TEMPLATE_LENGTH) {
            throw new TemplateRefused("must be at most " + MAX_TEMPLATE_LENGTH + " characters");
        }
        if (!TEMPLATE.matcher(template).matches()) {
            throw new TemplateRefused("may hold only lowercase letters, digits, _ and the placeholders {{name}}, "
                    + "{{random}} and {{unix_time}}");
        }
        if (!Character.isLetter(template.charAt(0)) || template.startsWith("{")) {
            throw new TemplateRefused("must start with a lowercase letter");
        }
        if (!template.contains("{{random}}")) {
            throw new TemplateRefused("must hold {{random}}, so that every lease gets an account of its own");
        }
        if (backend == BackendType.POSTGRES && template.startsWith("pg_")) {
            throw new TemplateRefused("must not start with pg_, which PostgreSQL reserves");
        }
        int longest = 0;
        Matcher placeholders = PLACEHOLDER.matcher(template);
        int literal = template.length();
        while (placeholders.find()) {
            literal -= placeholders.group().length();
            longest += switch (placeholders.group(1)) {
                case "name" -> sanitizedName(configName).length();
                case "random" -> RANDOM_LENGTH;
                default -> UNIX_TIME_LENGTH;
            };
        }
        if (literal + longest > backend.maxUsernameLength()) {
            throw new TemplateRefused("makes usernames of up to " + (literal + longest) + " characters with this name; a "
                    + backend.value() + " username has at most " + backend.maxUsernameLength());
        }
        return new UsernameTemplate(template);
    }

    /** A new username for a lease of the config named {@code configName}. */
    String render(String configName, Instant now) {
        Matcher placeholders = PLACEHOLDER.matcher(template);
        StringBuilder username = new StringBuilder();
        while (placeholders.find()) {
            String value = switch (placeholders.group(1)) {
                case "name" -> sanitizedName(configName);
                case "random" -> random();
                default -> Long.toString(now.getEpochSecond());
            };
            placeholders.appendReplacement(username, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(username);
        String rendered = username.toString();
        if (!USERNAME.matcher(rendered).matches()) {
            // unreachable with a template that passed parse(): a last check before anything reaches SQL
            throw new IllegalStateException("a username template rendered a name outside [a-z][a-z0-9_]*");
        }
        return rendered;
    }

    /** The config's name as {@code {{name}}} puts it into a username. */
    static String sanitizedName(@Nullable String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String sanitized = lower.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (sanitized.length() > NAME_LENGTH) {
            sanitized = sanitized.substring(0, NAME_LENGTH).replaceAll("_+$", "");
        }
        return sanitized.isEmpty() ? "config" : sanitized;
    }

    private static String random() {
        StringBuilder value = new StringBuilder(RANDOM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            value.append(RANDOM_ALPHABET.charAt(RANDOM.nextInt(RANDOM_ALPHABET.length())));
        }
        return value.toString();
    }
}
