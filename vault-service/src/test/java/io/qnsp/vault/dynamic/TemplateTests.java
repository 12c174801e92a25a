package io.qnsp.vault.dynamic;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Username and role templates: what they render, and every way of smuggling SQL through them that is refused. */
class TemplateTests {

    @Test
    void usernamesAreLowercaseLettersDigitsAndUnderscoresWhateverTheName() {
        UsernameTemplate template = UsernameTemplate.parse("v_{{name}}_{{random}}_{{unix_time}}",
                "Robert'); DROP TABLE Students;--", BackendType.POSTGRES);
        String username = template.render("Robert'); DROP TABLE Students;--", Instant.ofEpochSecond(1_700_000_000));
        assertThat(username).matches("v_robert_drop_tabl_[a-z0-9]{10}_1700000000");
        assertThat(UsernameTemplate.sanitizedName("\"; --")).isEqualTo("config");
        assertThat(UsernameTemplate.sanitizedName("Ünïcode Näme")).isEqualTo("n_code_n_me");
        assertThat(template.render("x", Instant.EPOCH)).isNotEqualTo(template.render("x", Instant.EPOCH));
    }

    @Test
    void usernameTemplatesBreakingTheRulesAreRefused() {
        for (String template : List.of("x\"; DROP ROLE postgres; --{{random}}", "V_{{random}}", "v-{{random}}",
                "{{name}}_{{random}}", "1_{{random}}", "v_{{name}}", "v_{{password}}_{{random}}", "v_{{ random }}",
                "pg_{{random}}", "v_" + "a".repeat(52) + "{{random}}", "v_{{random}}\n")) {
            assertThatThrownBy(() -> UsernameTemplate.parse(template, "name", BackendType.POSTGRES))
                    .as(template).isInstanceOf(TemplateRefused.class);
        }
        // MySQL allows 32 characters: the same template fits PostgreSQL only
        String template = "v_{{name}}_{{random}}_{{unix_time}}";
        UsernameTemplate.parse(template, "orders archive", BackendType.POSTGRES);
        assertThatThrownBy(() -> UsernameTemplate.parse(template, "orders archive", BackendType.MYSQL))
                .isInstanceOf(TemplateRefused.class).hasMessageContaining("at most 32");
    }

    @Test
    void roleTemplatesRenderTheAccountQuotedByTheBackend() {
        RoleTemplate grants = RoleTemplate.parse("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{username}};\n"
                + "grant usage on schema \"we;ird\" to {{username}};", BackendType.POSTGRES);
        assertThat(grants.size()).isEqualTo(2);
        assertThat(grants.render(PostgresBackend.identifier("v_x"))).containsExactly(
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"v_x\"",
                "grant usage on schema \"we;ird\" to \"v_x\"");
        RoleTemplate mysql = RoleTemplate.parse("GRANT SELECT ON `shop`.* TO {{username}}", BackendType.MYSQL);
        assertThat(mysql.render(MysqlBackend.account("v_x"))).containsExactly("GRANT SELECT ON `shop`.* TO 'v_x'@'%'");
    }

    @Test
    void roleTemplatesThatCouldHideOrChangeAStatementAreRefused() {
        for (String template : List.of("GRANT SELECT ON t TO {{username}}; DROP ROLE postgres",
                "GRANT SELECT ON t TO {{username}} -- comment", "GRANT SELECT ON t TO {{username}} /* x */",
                "GRANT SELECT ON t TO {{username}} # x", "GRANT SELECT ON t TO '{{username}}'",
                "GRANT SELECT ON t TO \"{{username}}\"", "GRANT SELECT ON t TO {{password}}",
                "GRANT SELECT ON t TO {{expiration}}", "GRANT SELECT ON $$t$$ TO {{username}}",
                "GRANT SELECT ON E'\\'' TO {{username}}", "GRANT SELECT ON t TO public",
                "GRANT SELECT ON t TO {{username}}; ALTER ROLE {{username}} SUPERUSER",
                "GRANT SELECT ON 'unclosed TO {{username}}", "GRANT SELECT ON `t` TO {{username}}",
                "GRANT SELECT ON t TO {{username}}\u0000", "", " ; ", "CREATE TABLE x (id int)")) {
            assertThatThrownBy(() -> RoleTemplate.parse(template, BackendType.POSTGRES)).as(template)
                    .isInstanceOf(TemplateRefused.class);
        }
        assertThatThrownBy(() -> RoleTemplate.parse("GRANT SELECT ON t TO {{username}};".repeat(33),
                BackendType.POSTGRES)).isInstanceOf(TemplateRefused.class);
    }

    @Test
    void valuesAreQuotedOrRefusedNeverPassedRaw() {
        assertThat(PostgresBackend.identifier("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(PostgresBackend.literal("it's")).isEqualTo("'it''s'");
        assertThatThrownBy(() -> PostgresBackend.literal("a\\")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MysqlBackend.literal("a'b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MysqlBackend.account("x'@'%")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MysqlBackend.literal(PasswordVerifiers.mysqlNative("secret"))).startsWith("'*");
    }

    @Test
    void passwordVerifiersAreWhatTheServersStore() {
        // MySQL's PASSWORD('password')
        assertThat(PasswordVerifiers.mysqlNative("password")).isEqualTo("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
        String scram = PasswordVerifiers.scramSha256("pencil");
        assertThat(scram).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}")
                .doesNotContain("pencil");
        assertThat(PasswordVerifiers.scramSha256("pencil")).as("salted").isNotEqualTo(scram);
    }
}
