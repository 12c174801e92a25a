package io.qnsp.storage.classification;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The built-in detectors and the windowed scan: what counts, what does not, and that nothing counts twice. */
class ContentScannerTests {

    static Rule detector(Detector detector) {
        return new Rule(detector, null, Classification.RESTRICTED, detector.dataTypes());
    }

    static Rule pattern(String regex) {
        return new Rule(null, regex, Classification.CONFIDENTIAL, List.of(DataType.CUSTOM));
    }

    static int count(String text, Rule rule) throws IOException {
        return ContentScanner.scan(stream(text), Long.MAX_VALUE, List.of(rule)).findings()[0];
    }

    static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cardNumbersCountOnlyWhenTheyPassLuhn() throws IOException {
        assertThat(count("pay with 4111 1111 1111 1111 today", detector(Detector.CREDIT_CARD))).isEqualTo(1);
        assertThat(count("pay with 4111 1111 1111 1112 today", detector(Detector.CREDIT_CARD))).isZero();
        assertThat(count("amex 3782-822463-10005, visa 4012888888881881", detector(Detector.CREDIT_CARD)))
                .isEqualTo(2);
        // part of a longer number is no card number
        assertThat(count("order 94111111111111111112", detector(Detector.CREDIT_CARD))).isZero();
    }

    @Test
    void ibansCountOnlyWithTheirCountrysLengthAndRightCheckDigits() throws IOException {
        assertThat(count("IBAN DE89 3704 0044 0532 0130 00 please", detector(Detector.IBAN))).isEqualTo(1);
        assertThat(count("to GB82WEST12345698765432.", detector(Detector.IBAN))).isEqualTo(1);
        assertThat(count("IBAN DE88 3704 0044 0532 0130 00 please", detector(Detector.IBAN))).isZero();
        assertThat(count("XX89370400440532013000", detector(Detector.IBAN))).isZero();
    }

    @Test
    void nationalIdsFollowTheirIssuingRules() throws IOException {
        assertThat(count("SSN 123-45-6789", detector(Detector.NATIONAL_ID))).isEqualTo(1);
        assertThat(count("SSN 666-45-6789 or 000-12-3456 or 123-00-4567", detector(Detector.NATIONAL_ID))).isZero();
        assertThat(count("NI number AB 12 34 56 C", detector(Detector.NATIONAL_ID))).isEqualTo(1);
        assertThat(count("NI number GB 12 34 56 C", detector(Detector.NATIONAL_ID))).isZero();
    }

    @Test
    void emailsAndHealthWordsAreFound() throws IOException {
        assertThat(count("write to jane.doe+x@example.co.uk or ops@qnsp.io", detector(Detector.EMAIL))).isEqualTo(2);
        assertThat(count("no address here: @ example", detector(Detector.EMAIL))).isZero();
        assertThat(count("Patient was diagnosed; prescription renewed", detector(Detector.PHI_KEYWORDS)))
                .isEqualTo(3);
        assertThat(count("impatient people", detector(Detector.PHI_KEYWORDS))).isZero();
    }

    @Test
    void aFindingAcrossTwoWindowsIsCountedOnce() throws IOException {
        String filler = "x".repeat(ContentScanner.WINDOW - 10);
        String text = filler + " 4111 1111 1111 1111 " + "y".repeat(ContentScanner.WINDOW) + " 5500 0000 0000 0004";
        assertThat(count(text, detector(Detector.CREDIT_CARD))).isEqualTo(2);
        assertThat(count(filler + " ab@cd.org " + filler, detector(Detector.EMAIL))).isEqualTo(1);
        String words = ("patient " + "z".repeat(500) + " ").repeat(400);
        assertThat(count(words, detector(Detector.PHI_KEYWORDS))).isEqualTo(400);
    }

    @Test
    void onlyTheLimitIsReadAndTheRestIsReportedAsNotScanned() throws IOException {
        String text = "a".repeat(1000) + " 4111111111111111";
        ContentScanner.Result limited = ContentScanner.scan(stream(text), 1000, List.of(detector(Detector.CREDIT_CARD)));
        ContentScanner.Result whole = ContentScanner.scan(stream(text), 5000, List.of(detector(Detector.CREDIT_CARD)));

        assertThat(limited.scannedBytes()).isEqualTo(1000);
        assertThat(limited.truncated()).isTrue();
        assertThat(limited.findings()[0]).isZero();
        assertThat(whole.truncated()).isFalse();
        assertThat(whole.findings()[0]).isEqualTo(1);
    }

    @Test
    void aPathologicalPatternRunsInLinearTime() {
        String text = "a".repeat(200_000) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(count(text, pattern("(a+)+$"))).isZero();
            assertThat(count(text, pattern("(a|aa)*b"))).isZero();
        });
    }

    @Test
    void customPatternsCountEachMatch() throws IOException {
        assertThat(count("PRJ-0001 and PRJ-0042, not PRJ-12", pattern("PRJ-\\d{4}"))).isEqualTo(2);
    }
}
