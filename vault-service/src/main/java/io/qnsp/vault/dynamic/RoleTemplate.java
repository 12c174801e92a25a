package io.qnsp.vault.dynamic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The grants a lease's account gets: one or more {@code GRANT} statements separated by {@code ;}, in which
 * {@code {{username}}} stands for the account. The template is SQL written by a holder of {@code vault:write} for
 * a backend whose administrative credentials that same caller supplied, so it can do no more than those
 * credentials can; what must not happen is that a value the vault puts in (the username, which derives from the
 * config's name) changes what a statement means, or that one statement hides another. Hence:
 * <ul>
 *   <li>the only placeholder is {@code {{username}}}, replaced by the account quoted as an identifier
 *       ({@code "name"} for PostgreSQL, {@code 'name'@'%'} for MySQL), never by raw text; it may not stand inside
 *       quotes;</li>
 *   <li>each statement starts with {@code GRANT} and names {@code {{username}}}, so a template cannot drop, alter
 *       or grant to anything else by accident;</li>
 *   <li>the template is split into statements by a lexer that knows quotes, and whatever could make the server
 *       read it differently is refused: comments, {@code $} (dollar quoting), backslashes and control
 *       characters;</li>
 *   <li>the statements run one at a time, in one transaction on PostgreSQL with the account's creation (a failure
 *       leaves nothing behind); on MySQL, whose grants commit on their own, a failure drops the account.</li>
 * </ul>
 * The vault creates the account itself ({@code CREATE ROLE ... LOGIN PASSWORD ... VALID UNTIL ...} or
 * {@code CREATE USER}): the template never sees the password or the expiry.
 */
final class RoleTemplate {

    static final String FIELD = "template.roleTemplate";
    static final String PLACEHOLDER = "{{username}}";
    static final int MAX_LENGTH = 4096;
    static final int MAX_STATEMENTS = 32;

    /** A piece of a statement: SQL as written, or the placeholder. */
    private record Part(String sql, boolean username) {
    }

    private final String text;
    private final List<List<Part>> statements;

    private RoleTemplate(String text, List<List<Part>> statements) {
        this.text = text;
        this.statements = statements;
    }

    String text() {
        return text;
    }

    int size() {
        return statements.size();
    }

    /** @throws TemplateRefused naming the rule the template breaks */
    static RoleTemplate parse(String text, BackendType backend) {
        if (text.length() > MAX_LENGTH) {
            throw new TemplateRefused("must be at most " + MAX_LENGTH + " characters");
        }
        List<List<Part>> statements = new ArrayList<>();
        List<Part> current = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || (c == '`' && backend == BackendType.MYSQL)) {
                int end = closingQuote(text, i);
                String quoted = text.substring(i, end + 1);
                if (quoted.contains("{{")) {
                    throw new TemplateRefused("must not put {{username}} inside quotes: the vault quotes "
                            + "it");
                }
                sql.append(quoted);
                i = end + 1;
            } else if (text.startsWith("{{", i)) {
                if (!text.startsWith(PLACEHOLDER, i)) {
                    throw new TemplateRefused("may use only the placeholder {{username}}: the vault sets "
                            + "the password and the expiry itself");
                }
                current.add(new Part(sql.toString(), false));
                sql.setLength(0);
                current.add(new Part("", true));
                i += PLACEHOLDER.length();
            } else if (c == ';') {
                current.add(new Part(sql.toString(), false));
                sql.setLength(0);
                statements.add(current);
                current = new ArrayList<>();
                i++;
            } else if (text.startsWith("--", i) || text.startsWith("/*", i) || c == '#') {
                throw new TemplateRefused("must not hold comments");
            } else if (c == '$' || c == '\\' || c == '`' || c == '}' || c == '{') {
                throw new TemplateRefused("must not hold " + c + " outside quotes");
            } else if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                throw new TemplateRefused("must not hold control characters");
            } else {
                sql.append(c);
                i++;
            }
        }
        current.add(new Part(sql.toString(), false));
        statements.add(current);
        List<List<Part>> kept = new ArrayList<>();
        for (List<Part> statement : statements) {
            boolean empty = statement.stream().allMatch(p -> !p.username() && p.sql().isBlank());
            if (!empty) {
                kept.add(statement);
            }
        }
        if (kept.isEmpty()) {
            throw new TemplateRefused("must hold at least one GRANT statement naming {{username}}");
        }
        if (kept.size() > MAX_STATEMENTS) {
            throw new TemplateRefused("must hold at most " + MAX_STATEMENTS + " statements");
        }
        for (int n = 0; n < kept.size(); n++) {
            List<Part> statement = kept.get(n);
            String start = statement.getFirst().sql().stripLeading().toUpperCase(Locale.ROOT);
            if (!start.startsWith("GRANT ") && !start.startsWith("GRANT\n") && !start.startsWith("GRANT\t")) {
                throw new TemplateRefused("statement " + (n + 1) + " must be a GRANT");
            }
            if (statement.stream().noneMatch(Part::username)) {
                throw new TemplateRefused("statement " + (n + 1) + " must grant to {{username}}");
            }
        }
        return new RoleTemplate(text, List.copyOf(kept));
    }

    /** The statements for the account, the placeholder replaced by the account as the backend quotes it. */
    List<String> render(String quotedAccount) {
        List<String> rendered = new ArrayList<>();
        for (List<Part> statement : statements) {
            StringBuilder sql = new StringBuilder();
            for (Part part : statement) {
                sql.append(part.username() ? quotedAccount : part.sql());
            }
            rendered.add(sql.toString().strip());
        }
        return rendered;
    }

    /** Where the quote opened at {@code start} closes; a doubled quote inside is part of the text. */
    private static int closingQuote(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                throw new TemplateRefused("must not hold backslashes");
            }
            if (Character.isISOControl(c)) {
                throw new TemplateRefused("must not hold control characters");
            }
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new TemplateRefused("has a quote that is not closed");
    }
}
