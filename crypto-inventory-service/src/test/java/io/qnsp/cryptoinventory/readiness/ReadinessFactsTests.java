package io.qnsp.cryptoinventory.readiness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessFactsTests {

    @Test
    void sharesAreOneDecimalPercentagesAndAnEmptyCategoryIsReady() {
        assertThat(ReadinessFacts.share(1, 3)).isEqualTo(33.3);
        assertThat(ReadinessFacts.share(2, 3)).isEqualTo(66.7);
        assertThat(ReadinessFacts.share(0, 0)).isEqualTo(100.0);
    }

    @Test
    void overallWeighsTheCategoriesFortyThirtyFifteenFifteen() {
        ReadinessFacts facts = new ReadinessFacts(null, 4, 1, 10, 5, 2, 0, 4, 1);
        // 0.4 × 25 + 0.3 × 50 + 0.15 × 0 + 0.15 × 25 = 28.75
        assertThat(facts.overall()).isEqualTo(28.8);
        // kms-service's reported figure is used as it is
        assertThat(new ReadinessFacts(30.0, 4, 1, 10, 5, 2, 0, 4, 1).keyManagement()).isEqualTo(30.0);
        // a what-if recomputes it from the counts
        assertThat(new ReadinessFacts(30.0, 4, 1, 10, 5, 2, 0, 4, 1).withKmsMigrated(1).keyManagement())
                .isEqualTo(50.0);
    }

    @Test
    void gradesFollowTheScore() {
        assertThat(ReadinessFacts.grade(90)).isEqualTo("A");
        assertThat(ReadinessFacts.grade(89.9)).isEqualTo("B");
        assertThat(ReadinessFacts.grade(70)).isEqualTo("C");
        assertThat(ReadinessFacts.grade(60)).isEqualTo("D");
        assertThat(ReadinessFacts.grade(59.9)).isEqualTo("F");
    }
}
