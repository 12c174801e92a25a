package io.qnsp.common.error;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import tools.jackson.databind.json.JsonMapper;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTranslatorTests {

    private final FailureTranslator translator = new FailureTranslator(JsonMapper.shared());

    @Test
    void aNulThatReachedPostgresqlIsTheCallersInputNotAnInternalError() {
        for (String state : new String[] {"22021", "22P05"}) {
            FailureTranslator.Translation translation = translator.translate(new DataIntegrityViolationException(
                    "PreparedStatementCallback", new SQLException("invalid byte sequence for encoding", state)));

            assertThat(translation.error().status().value()).isEqualTo(400);
            assertThat(translation.error().details()).containsEntry("field", "request");
            assertThat(translation.error().message()).doesNotContain("PreparedStatement", "encoding");
        }
    }

    @Test
    void otherDatabaseFailuresStayInternalErrors() {
        FailureTranslator.Translation translation = translator.translate(new DataIntegrityViolationException(
                "PreparedStatementCallback", new SQLException("deadlock detected", "40P01")));

        assertThat(translation.error().status().value()).isEqualTo(500);
    }
}
