package io.qnsp.vault.dynamic;

/** A username or role template breaks a rule; the message says which, without quoting the template. */
final class TemplateRefused extends RuntimeException {

    TemplateRefused(String message) {
        super(message, null, false, false);
    }
}
