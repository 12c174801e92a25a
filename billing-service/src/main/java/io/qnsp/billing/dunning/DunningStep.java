package io.qnsp.billing.dunning;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One step of a dunning schedule: on day {@code dayAfterFailure} after a payment first failed, do {@code action}.
 *
 * @param action   {@code email} or {@code sms} (a notice with the template), {@code suspend} (the tenant's calls are
 *                 refused until it pays) or {@code cancel} (the tenant is cancelled and automatic retries end)
 * @param template the notice's template; for {@code email} and {@code sms}
 */
public record DunningStep(int dayAfterFailure, String action, @Nullable String template) {

    public static final String EMAIL = "email";
    public static final String SMS = "sms";
    public static final String SUSPEND = "suspend";
    public static final String CANCEL = "cancel";
    public static final List<String> ACTIONS = List.of(EMAIL, SMS, SUSPEND, CANCEL);

    public boolean isNotice() {
        return EMAIL.equals(action) || SMS.equals(action);
    }
}
