package io.qnsp.common.error;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this service reports failures.
 *
 * @param family the API family whose error body every failure is rendered in
 */
@ConfigurationProperties("qnsp.errors")
public record ErrorsProperties(@DefaultValue("qnsp") ErrorFamily family) {
}
