package io.qnsp.common.web;

import java.util.UUID;
import java.util.function.Supplier;

/** Ids in a request's path: a malformed one names nothing, so it is answered like any unknown id (404). */
public final class PathIds {

    private PathIds() {
    }

    /** @throws RuntimeException the not-found exception given, when the id is not a UUID */
    public static UUID parse(String id, Supplier<? extends RuntimeException> notFound) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound.get();
        }
    }
}
