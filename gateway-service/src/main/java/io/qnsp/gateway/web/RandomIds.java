package io.qnsp.gateway.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs from the calling thread's {@link ThreadLocalRandom}: request and event ids need to be
 * unique, not unguessable, and {@link UUID#randomUUID()} takes them from a shared {@code SecureRandom}, which costs
 * more and is contended under load.
 */
public final class RandomIds {

    private RandomIds() {
    }

    /** A new random (version 4, IETF variant) UUID. */
    public static UUID uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }
}
