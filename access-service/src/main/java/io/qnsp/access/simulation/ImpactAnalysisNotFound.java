package io.qnsp.access.simulation;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No impact analysis with that id was run by the caller's tenant. */
public class ImpactAnalysisNotFound extends ApiException {

    public ImpactAnalysisNotFound() {
        super(HttpStatus.NOT_FOUND, "analysis_not_found", "No such impact analysis");
    }
}
