package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The incident cannot move from its status to the one asked for. */
public class IncidentTransitionRefused extends ApiException {

    IncidentTransitionRefused(IncidentStatus from, IncidentStatus to) {
        super(HttpStatus.CONFLICT, "incident_transition_refused", "An incident that is " + from.apiName()
                        + " cannot become " + to.apiName(),
                Map.of("status", from.apiName(), "allowed", from.next().stream().map(IncidentStatus::apiName)
                        .sorted().toList()));
    }
}
