package io.qnsp.vault.leak;

import io.qnsp.vault.leak.detect.PatternType;
import io.qnsp.vault.leak.detect.Severity;

/** One of a policy's own rules, as the tenant wrote it. */
public record SecretPattern(PatternType type, String pattern, Severity severity) {
}
