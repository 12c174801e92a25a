package io.qnsp.common.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A failure an endpoint answers beyond those the platform documents for every endpoint of its kind (invalid input,
 * authentication, authorization, unknown id, body size and type, quota): e.g. {@code 409} for a name in use. It
 * is documented with the error body of the path's API family. Unlike springdoc's {@code @ApiResponse}, it leaves
 * the success response springdoc derives from the method as it is.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(FailureResponses.class)
public @interface FailureResponse {

    /** The HTTP status, 4xx or 5xx. */
    int status();

    /** When it happens, for the reader of the document. */
    String description();
}
