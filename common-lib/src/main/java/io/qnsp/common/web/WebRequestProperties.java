package io.qnsp.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on incoming requests.
 *
 * @param maxRequestBody the largest request body accepted; longer ones are answered 413 {@code payload_too_large}
 */
@ConfigurationProperties("qnsp.web")
public record WebRequestProperties(@DefaultValue("1MB") DataSize maxRequestBody) {
}
