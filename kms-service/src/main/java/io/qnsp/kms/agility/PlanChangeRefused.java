package io.qnsp.kms.agility;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Comparator;
import java.util.Map;

/** The plan's status forbids the change asked for: an illegal transition, a closed plan, an unfinished completion. */
class PlanChangeRefused extends ApiException {

    private PlanChangeRefused(PlanStatus status, String message) {
        super(HttpStatus.CONFLICT, "plan_state_conflict", message, Map.of("status", status.apiName(),
                "allowedStatuses", status.next().stream().sorted(Comparator.naturalOrder()).map(PlanStatus::apiName)
                        .toList()));
    }

    static PlanChangeRefused transition(PlanStatus from, PlanStatus to) {
        String allowed = from.next().isEmpty() ? "it is closed and no longer changes"
                : "it can become " + String.join(" or ", from.next().stream().sorted(Comparator.naturalOrder())
                .map(PlanStatus::apiName).toList());
        return new PlanChangeRefused(from, "A " + from.apiName() + " plan cannot become " + to.apiName() + ": "
                + allowed);
    }

    static PlanChangeRefused closed(PlanStatus status) {
        return new PlanChangeRefused(status, "The plan is " + status.apiName() + ": it no longer changes");
    }

    static PlanChangeRefused unfinished(PlanStatus status, long migrated, long total) {
        return new PlanChangeRefused(status, "The plan cannot be completed: " + (total - migrated) + " of " + total
                + " keys in its scope are not yet on a target algorithm");
    }
}
