package io.qnsp.vault.dynamic;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Connection strings: the parts the vault takes, and the driver options it refuses. */
class ConnectionStringsTests {

    @Test
    void theVaultBuildsItsOwnUrlFromTheAcceptedParts() {
        ConnectionStrings.Parsed parsed = parse("jdbc:postgresql://DB.example.com:6432/app?sslmode=require"
                + "&user=admin&password=p%40ss%26word", BackendType.POSTGRES, List.of());
        assertThat(parsed).isNotNull();
        assertThat(parsed.host()).isEqualTo("db.example.com");
        assertThat(parsed.port()).isEqualTo(6432);
        assertThat(parsed.database()).isEqualTo("app");
        assertThat(parsed.options()).isEqualTo(Map.of("sslmode", "require"));
        assertThat(parsed.user()).isEqualTo("admin");
        assertThat(parsed.password()).isEqualTo("p@ss&word");
        assertThat(parsed.toString()).doesNotContain("p@ss");
        BackendConnection connection = new BackendConnection(BackendType.POSTGRES, parsed.host(), parsed.port(),
                parsed.database(), parsed.options(), "admin", "p@ss&word");
        assertThat(connection.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6432/app");
        assertThat(connection.toString()).doesNotContain("p@ss").doesNotContain("admin");

        ConnectionStrings.Parsed mysql = parse("jdbc:mysql://[::1]/shop", BackendType.MYSQL, List.of());
        assertThat(mysql.port()).isEqualTo(3306);
        assertThat(new BackendConnection(BackendType.MYSQL, mysql.host(), mysql.port(), mysql.database(),
                mysql.options(), "a", "b").jdbcUrl()).isEqualTo("jdbc:mariadb://[::1]:3306/shop");
        assertThat(parse("jdbc:mariadb://db/shop?sslMode=verify-full", BackendType.MYSQL, List.of()).options())
                .containsEntry("sslMode", "verify-full");
    }

    @Test
    void driverOptionsThatLoadClassesReadFilesOrDeserializeAreRefused() {
        for (String url : List.of("jdbc:postgresql://h/d?socketFactory=x.Evil", "jdbc:postgresql://h/d?loggerFile=/x",
                "jdbc:postgresql://h/d?sslfactory=x", "jdbc:postgresql://h/d?authenticationPluginClassName=x",
                "jdbc:postgresql://h/d?sslrootcert=/etc/passwd", "jdbc:postgresql://h/d?options=-c%20x",
                "jdbc:postgresql://h/d?user=a&user=b")) {
            assertRefused(url, BackendType.POSTGRES);
        }
        for (String url : List.of("jdbc:mysql://h/d?allowLoadLocalInfile=true", "jdbc:mysql://h/d?autoDeserialize=true",
                "jdbc:mariadb://h/d?allowLocalInfile=true", "jdbc:mysql://h/d?queryInterceptors=x",
                "jdbc:mysql://h/d?allowMultiQueries=true", "jdbc:mysql://h/d?sslMode=REQUIRED")) {
            assertRefused(url, BackendType.MYSQL);
        }
    }

    @Test
    void malformedOrMismatchedStringsAreRefusedWithoutBeingQuoted() {
        for (String url : List.of("jdbc:mysql://h/d", "postgresql://h/d", "jdbc:postgresql:d", "jdbc:postgresql://h",
                "jdbc:postgresql://h:0/d", "jdbc:postgresql://h:x/d", "jdbc:postgresql://u:secret-pw@h/d",
                "jdbc:postgresql://a,b/d", "jdbc:postgresql://h/d;x", "jdbc:postgresql://h_h/d",
                "jdbc:postgresql://[zz]/d", "jdbc:postgresql://h/d?password=%zz",
                "jdbc:postgresql://h/" + "d".repeat(64), "jdbc:postgresql://h/d?" + "x".repeat(2100))) {
            InvalidField.Problems problems = new InvalidField.Problems();
            assertThat(ConnectionStrings.parse(url, BackendType.POSTGRES, List.of(), problems)).as(url).isNull();
            try {
                problems.throwIfAny();
            } catch (InvalidField refused) {
                assertThat(refused.getMessage()).doesNotContain("secret-pw");
                continue;
            }
            throw new AssertionError("no problem for " + url);
        }
        assertRefused("jdbc:postgresql://jdbc:postgresql://h/d", BackendType.POSTGRES);
    }

    @Test
    void onlyAllowedHostsAreAcceptedWhenTheOperatorNamesThem() {
        List<String> allowed = List.of("db.internal", "*.rds.example.com");
        assertThat(parse("jdbc:postgresql://db.internal/d", BackendType.POSTGRES, allowed)).isNotNull();
        assertThat(parse("jdbc:postgresql://a.rds.example.com/d", BackendType.POSTGRES, allowed)).isNotNull();
        for (String host : List.of("169.254.169.254", "rds.example.com", "evil-db.internal", "db.internal.evil")) {
            InvalidField.Problems problems = new InvalidField.Problems();
            assertThat(ConnectionStrings.parse("jdbc:postgresql://" + host + "/d", BackendType.POSTGRES, allowed,
                    problems)).as(host).isNull();
        }
    }

    private static ConnectionStrings.Parsed parse(String url, BackendType type, List<String> allowed) {
        InvalidField.Problems problems = new InvalidField.Problems();
        ConnectionStrings.Parsed parsed = ConnectionStrings.parse(url, type, allowed, problems);
        assertThat(problems.isEmpty()).as(url).isTrue();
        return parsed;
    }

    private static void assertRefused(String url, BackendType type) {
        InvalidField.Problems problems = new InvalidField.Problems();
        assertThat(ConnectionStrings.parse(url, type, List.of(), problems)).as(url).isNull();
        assertThat(problems.isEmpty()).as(url).isFalse();
    }
}
