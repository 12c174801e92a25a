package io.qnsp.search;

/** The OAuth2 scopes of the search API; a caller with the admin role holds every scope. */
public final class SearchScopes {

    /** Query the tenant's index, record clicks, read analytics, synonyms expansions and index health. */
    public static final String READ = "search:read";
    /** Define synonym groups, schedule maintenance windows and run isolation verifications. */
    public static final String WRITE = "search:write";

    private SearchScopes() {
    }
}
