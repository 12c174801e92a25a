package io.qnsp.search.query;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the query endpoint.
 *
 * @param defaultLimit  results per page when the caller asks for no number
 * @param maxLimit      results per page at most
 * @param maxExpansions rewritten forms of one query its synonyms may add at most
 */
@ConfigurationProperties("qnsp.search.query")
public record QuerySettings(@DefaultValue("20") int defaultLimit, @DefaultValue("100") int maxLimit,
                            @DefaultValue("16") int maxExpansions) {

    public QuerySettings {
        if (defaultLimit < 1 || maxLimit < defaultLimit || maxExpansions < 0) {
            throw new IllegalArgumentException("qnsp.search.query: need 1 <= default-limit <= max-limit and "
                    + "max-expansions >= 0");
        }
    }
}
