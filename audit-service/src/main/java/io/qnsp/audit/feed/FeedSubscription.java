package io.qnsp.audit.feed;

/** A live subscriber's handle: closing it stops its deliveries. */
public interface FeedSubscription extends AutoCloseable {

    /** The sequence of the last event handed to the subscriber (or passed over by its filter). */
    long position();

    boolean isOpen();

    @Override
    void close();
}
