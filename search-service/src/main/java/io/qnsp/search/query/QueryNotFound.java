package io.qnsp.search.query;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No query of the caller's tenant with that id. */
public class QueryNotFound extends ApiException {

    public QueryNotFound() {
        super(HttpStatus.NOT_FOUND, "query_not_found", "No such query");
    }
}
