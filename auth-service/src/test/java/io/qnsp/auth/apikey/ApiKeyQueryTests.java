package io.qnsp.auth.apikey;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyQueryTests {

    @Test
    void defaultsAreTheFirstPageOfTwentyNewestFirst() {
        ApiKeyQuery query = ApiKeyQuery.parse(null, null, null, null, null, null);

        assertThat(query).isEqualTo(new ApiKeyQuery(1, 20, null, null, ApiKeyQuery.SortField.CREATED_AT, false));
    }

    @Test
    void valuesAreReadIgnoringCase() {
        ApiKeyQuery query = ApiKeyQuery.parse(3, 100, "Revoked", "  billing ", "LASTUSEDAT", "ASC");

        assertThat(query).isEqualTo(new ApiKeyQuery(3, 100, ApiKeyStatus.REVOKED, "billing",
                ApiKeyQuery.SortField.LAST_USED_AT, true));
        assertThat(ApiKeyQuery.parse(null, null, "all", " ", "", null).status()).isNull();
    }

    @Test
    void everyBadParameterIsNamed() {
        assertThatThrownBy(() -> ApiKeyQuery.parse(0, 101, "sleeping", null, "secret", "sideways"))
                .isInstanceOfSatisfying(InvalidField.class, e -> {
                    assertThat(e.details()).containsEntry("field", "page");
                    assertThat(e.details().get("fields").toString())
                            .contains("page", "pageSize", "status", "sortBy", "sortOrder");
                });
    }
}
