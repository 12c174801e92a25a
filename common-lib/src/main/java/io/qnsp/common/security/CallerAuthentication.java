package io.qnsp.common.security;

/** An authentication that already knows its {@link Caller}. */
interface CallerAuthentication {

    Caller caller();
}
