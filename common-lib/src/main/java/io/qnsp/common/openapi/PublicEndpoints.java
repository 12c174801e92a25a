package io.qnsp.common.openapi;

/**
 * Which of a service's paths anyone may call without credentials; their operations are documented with an
 * explicitly empty security requirement, all others with the platform's authentication schemes.
 */
@FunctionalInterface
public interface PublicEndpoints {

    /** Whether a documented path (a template such as {@code /v1/keys/{id}}) needs no authentication. */
    boolean isPublic(String path);
}
