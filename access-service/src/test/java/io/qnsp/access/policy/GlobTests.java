package io.qnsp.access.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The wildcard matcher agrees with the regular expression it stands for, without being one. */
class GlobTests {

    @Property(tries = 2000)
    void aPatternMatchesExactlyWhatItsRegularExpressionMatches(@ForAll("patterns") String pattern,
                                                               @ForAll("values") String value) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
        assertThat(Glob.of(pattern).matches(value)).as("%s ~ %s", pattern, value).isEqualTo(value.matches(regex));
    }

    @Test
    void anExactPatternTakesTheStarLiterally() {
        assertThat(Glob.exact("a*").matches("a*")).isTrue();
        assertThat(Glob.exact("a*").matches("ab")).isFalse();
        assertThat(Glob.of("a*").isLiteral()).isFalse();
        assertThat(Glob.of("*").isAny()).isTrue();
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', '*', ':').ofMinLength(0).ofMaxLength(7);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars('a', 'b', ':').ofMinLength(0).ofMaxLength(8);
    }
}
