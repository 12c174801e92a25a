package io.qnsp.common.error;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;
import java.util.Map;

/**
 * How this service reports failures (and, for the DataHub family, successes too).
 *
 * @param family       the API family of every path no {@code pathFamilies} pattern matches
 * @param pathFamilies per family, path patterns ({@code PathPattern} syntax, e.g. {@code /api/v1/**}) answered in
 *                     that family instead; when several patterns match a path, the most specific one decides, e.g.
 *                     {@code qnsp.errors.path-families.datahub=/api/v1/**}
 */
@ConfigurationProperties("qnsp.errors")
public record ErrorsProperties(@DefaultValue("qnsp") ErrorFamily family,
                               Map<ErrorFamily, List<String>> pathFamilies) {

    public ErrorsProperties {
        pathFamilies = pathFamilies == null ? Map.of() : Map.copyOf(pathFamilies);
    }
}
