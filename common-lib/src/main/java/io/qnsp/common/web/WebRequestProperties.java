package io.qnsp.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.util.List;

/**
 * Limits on incoming requests.
 *
 * @param maxRequestBody the largest request body accepted; longer ones are answered 413 {@code payload_too_large}
 * @param pathLimits     other limits for the paths they name (e.g. uploads streamed to disk): the first entry whose
 *                       pattern matches the request's path sets its limit instead of {@code max-request-body}
 */
@ConfigurationProperties("qnsp.web")
public record WebRequestProperties(@DefaultValue("1MB") DataSize maxRequestBody,
                                   @DefaultValue List<PathLimit> pathLimits) {

    /**
     * A body limit of its own for some paths.
     *
     * @param paths          path patterns ({@code *} one segment, {@code **} any number of them)
     * @param maxRequestBody the largest body accepted on them
     */
    public record PathLimit(List<String> paths, DataSize maxRequestBody) {

        public PathLimit {
            if (paths == null || paths.isEmpty() || maxRequestBody == null) {
                throw new IllegalArgumentException("qnsp.web.path-limits entries need paths and max-request-body");
            }
        }
    }
}
