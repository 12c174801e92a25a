package io.qnsp.common.error;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidFieldTests {

    @Test
    void namesTheFirstFieldAndListsEveryProblemLikeBeanValidationDoes() {
        InvalidField invalid = new InvalidField(List.of(new InvalidField.Problem("name", "must not be blank"),
                new InvalidField.Problem("scopes", "must not be empty")), Map.of("allowedScopes", List.of("read:keys")));

        assertThat(invalid.status().value()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(invalid.getMessage()).isEqualTo("Validation failed: name must not be blank");
        assertThat(invalid.details()).containsEntry("field", "name")
                .containsEntry("fields", List.of(Map.of("field", "name", "message", "must not be blank"),
                        Map.of("field", "scopes", "message", "must not be empty")))
                .containsEntry("allowedScopes", List.of("read:keys"));
    }

    @Test
    void aSingleFieldNeedsNoList() {
        InvalidField invalid = new InvalidField("cost", "must be at least 1");
        assertThat(invalid.details()).containsEntry("field", "cost");
        assertThat(invalid.getMessage()).isEqualTo("Validation failed: cost must be at least 1");
    }

    @Test
    void problemsCollectEveryBrokenRuleAndThrowOnlyWhenThereIsOne() {
        InvalidField.Problems problems = new InvalidField.Problems();
        problems.throwIfAny();
        assertThat(problems.isEmpty()).isTrue();

        problems.add("name", "is required");
        problems.addAll(new InvalidField(List.of(new InvalidField.Problem("url", "must be https"),
                new InvalidField.Problem("url", "host does not resolve")), Map.of()));
        problems.detail("allowedEvents", List.of("key.created"));

        assertThat(problems.isEmpty()).isFalse();
        try {
            problems.throwIfAny();
            throw new AssertionError("expected a validation failure");
        } catch (InvalidField invalid) {
            assertThat(invalid.details()).containsEntry("field", "name")
                    .containsEntry("fields", List.of(Map.of("field", "name", "message", "is required"),
                            Map.of("field", "url", "message", "must be https"),
                            Map.of("field", "url", "message", "host does not resolve")))
                    .containsEntry("allowedEvents", List.of("key.created"));
        }
    }

    @Test
    void idsAndBase64AreReadOrTheirFieldIsNamedWithoutQuotingTheText() {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID id = UUID.randomUUID();
        assertThat(problems.uuid(" " + id + " ", "keyId")).isEqualTo(id);
        assertThat(problems.base64("AQID", "data")).containsExactly(1, 2, 3);
        assertThat(problems.uuid(null, "keyId")).isNull();
        assertThat(problems.base64(null, "data")).isNull();
        assertThat(problems.isEmpty()).isTrue();

        assertThat(problems.uuid("not-a-uuid", "keyId")).isNull();
        assertThat(problems.base64("secret%%%", "data")).isNull();
        try {
            problems.throwIfAny();
            throw new AssertionError("expected a validation failure");
        } catch (InvalidField invalid) {
            assertThat(invalid.details()).containsEntry("fields", List.of(
                    Map.of("field", "keyId", "message", "must be a UUID"),
                    Map.of("field", "data", "message", "must be base64")));
            assertThat(invalid.getMessage()).doesNotContain("secret");
        }
    }
}
