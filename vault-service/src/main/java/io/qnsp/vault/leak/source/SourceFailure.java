package io.qnsp.vault.leak.source;

/**
 * A repository could not be read. The message is safe to show to the tenant: it names the target, the repository
 * and what went wrong, never a token, a response body or file content.
 */
public class SourceFailure extends RuntimeException {

    public SourceFailure(String message) {
        super(message, null, false, false);
    }
}
