package io.qnsp.vault.leak.detect;

import io.qnsp.vault.leak.TestLeaks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules, the tokenisation and the safety of regular expressions, without a service. */
class DetectorTests {

    private final Detector defaults = new Detector(DefaultRules.rules(null), 1_000_000, 20_000);

    @Test
    void theBuiltInRulesFindEachKindOfLeakOnceAndNothingInOrdinaryCode() {
        String aws = TestLeaks.awsAccessKeyId();
        String pem = TestLeaks.privateKeyPem();
        String token = TestLeaks.highEntropyToken();
        String github = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
        String text = TestLeaks.ORDINARY_CODE + "aws_access_key_id = " + aws + "\n" + "signing_key: |\n"
                + pem.indent(2) + "export SESSION_TOKEN=\"" + token + "\"\n" + "GITHUB_TOKEN=" + github + "\n";

        Detector.Result result = defaults.scan(lines(text));

        assertThat(result.hits()).extracting(Detector.Hit::value)
                .containsExactlyInAnyOrder(aws, pem, token, github, github);
        assertThat(result.hits()).filteredOn(h -> h.value().equals(pem)).singleElement()
                .satisfies(h -> assertThat(h.rule().name()).isEqualTo(DefaultRules.PRIVATE_KEY));
        assertThat(result.hits()).filteredOn(h -> h.value().equals(aws)).singleElement()
                .satisfies(h -> assertThat(h.rule().severity()).isEqualTo(Severity.CRITICAL));
        assertThat(result.hits()).filteredOn(h -> h.value().equals(github)).extracting(h -> h.rule().name())
                .containsExactlyInAnyOrder(DefaultRules.GITHUB_TOKEN, DefaultRules.HIGH_ENTROPY_TOKEN);
        int pemLine = text.lines().toList().indexOf("  -----BEGIN PRIVATE KEY-----") + 1;
        assertThat(result.hits()).filteredOn(h -> h.value().equals(pem)).singleElement()
                .satisfies(h -> assertThat(h.line()).isEqualTo(pemLine));
        // the key block and its trailing-newline form are candidates for the stored values, its lines are not
        assertThat(result.candidates()).containsKeys(pem, pem + "\n", aws, token, github);
        assertThat(defaults.scan(lines(TestLeaks.ORDINARY_CODE)).hits()).isEmpty();
    }

    @Test
    void knownValueCandidatesCoverTheUsualWaysAValueIsWritten() {
        List<String> candidates = new ArrayList<>();
        Tokens.knownValueCandidates("DB_URL=postgres://app:s3cr3tPassw0rd@db:5432/app \"token\": \"k3y with space\" "
                + "PASSWORD=Zx9!#%+.~pass", candidates::add);
        assertThat(candidates).contains("s3cr3tPassw0rd", "k3y with space", "Zx9!#%+.~pass");
        assertThat(candidates).allSatisfy(c -> assertThat(c.length()).isBetween(Tokens.MIN_KNOWN_VALUE,
                Tokens.MAX_TOKEN));
    }

    @Test
    void entropyTokensSplitAssignmentsKeepPaddingAndNeedALetterAndADigit() {
        assertThat(Tokens.entropyTokens("KEY=YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo0Mg== rest"))
                .extracting(Tokens.Token::text).containsExactly("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo0Mg==");
        assertThat(Tokens.entropyTokens("AbstractSingletonProxyFactoryBeanDefinition ------------------------"))
                .isEmpty();
        assertThat(Entropy.bitsPerChar("aaaa")).isZero();
        assertThat(Entropy.bitsPerChar("abcd")).isEqualTo(2.0);
    }

    @Test
    void aPolicysOwnRegexKeywordAndEntropyRulesFindTheirValues() {
        UUID policy = UUID.randomUUID();
        Detector detector = new Detector(List.of(
                new Rule("secretPatterns[0]", PatternType.REGEX, "internal_token_([a-f0-9]{12})", Severity.HIGH,
                        policy, false),
                new Rule("secretPatterns[1]", PatternType.KEYWORD, "password", Severity.MEDIUM, policy, false),
                new Rule("secretPatterns[2]", PatternType.ENTROPY, "3.0", Severity.LOW, policy, false)),
                1_000_000, 20_000);
        String hex = "9fceb02d0ae598e95dc970b74767f19372d61af8";

        Detector.Result result = detector.scan(lines("""
                auth = "internal_token_0123456789ab"
                db.password: "Tr0ub4dor&3-horse"
                password = config.getPassword()
                mysql_password='${DB_PASSWORD}'
                commit = %s
                """.formatted(hex)));

        assertThat(result.hits()).extracting(h -> h.rule().name() + "=" + h.value()).containsExactlyInAnyOrder(
                "secretPatterns[0]=0123456789ab", "secretPatterns[1]=Tr0ub4dor&3-horse",
                "secretPatterns[2]=" + hex, "secretPatterns[2]=internal_token_0123456789ab");
    }

    @Test
    void regularExpressionsThatCanBacktrackBadlyAreRefusedAndTheRestAreBounded() {
        assertThat(PatternRules.problem(PatternType.REGEX, "(a+)+$")).contains("nest");
        assertThat(PatternRules.problem(PatternType.REGEX, "(\\w+\\s?)*x")).contains("nest");
        assertThat(PatternRules.problem(PatternType.REGEX, "((ab){2,})+")).contains("nest");
        assertThat(PatternRules.problem(PatternType.REGEX, "(a)\\1")).contains("back-reference");
        assertThat(PatternRules.problem(PatternType.REGEX, "[unclosed")).contains("not a valid");
        assertThat(PatternRules.problem(PatternType.REGEX, "a".repeat(513))).contains("512");
        assertThat(PatternRules.problem(PatternType.REGEX, "(?:ab)?c+(d|e){1}[x+]*")).isNull();
        assertThat(PatternRules.problem(PatternType.REGEX, "AKIA[0-9A-Z]{16}")).isNull();
        assertThat(PatternRules.problem(PatternType.ENTROPY, "4.5")).isNull();
        assertThat(PatternRules.problem(PatternType.ENTROPY, "9")).contains("6.0");
        assertThat(PatternRules.problem(PatternType.ENTROPY, "high")).contains("number");
        assertThat(PatternRules.problem(PatternType.KEYWORD, "pw")).contains("3 to 64");

        // an expression that passes the static check but backtracks on a long line stops at its budget
        Detector detector = new Detector(List.of(new Rule("slow", PatternType.REGEX, ".*.*.*.*x", Severity.LOW, null,
                false), new Rule("fast", PatternType.REGEX, "(secret_[0-9]{4})", Severity.LOW, null, false)),
                100_000, 20_000);
        Detector.Result result = detector.scan(List.of(new LineText(1, "a".repeat(200) + " secret_1234"),
                new LineText(2, "a".repeat(5_000) + " secret_5678")));
        assertThat(result.budgetExceeded()).isEqualTo(2);
        assertThat(result.hits()).extracting(Detector.Hit::value).containsExactly("secret_1234", "secret_5678");
    }

    @Test
    void maskedValuesShowAtMostAQuarterOfTheValueAndNeverMoreThanFourCharacters() {
        assertThat(Masks.of("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA…(20)");
        assertThat(Masks.of("s3cr3t-8")).isEqualTo("s3…(8)");
    }

    static List<LineText> lines(String text) {
        List<LineText> lines = new ArrayList<>();
        List<String> all = text.lines().toList();
        for (int i = 0; i < all.size(); i++) {
            lines.add(new LineText(i + 1, all.get(i)));
        }
        return lines;
    }
}
