package io.qnsp.ai.injection;

/**
 * One finding in an analyzed prompt: which pattern (a tenant's pattern id, or {@code builtin:<name>}) matched what
 * text, in which part of the request ({@code prompt} or {@code context}).
 */
public record Detection(String patternId, String category, String severity, String matchedText, String source) {
}
