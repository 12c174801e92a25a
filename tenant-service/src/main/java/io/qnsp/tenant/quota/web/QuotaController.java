package io.qnsp.tenant.quota.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.tenant.TenantScopes;
import io.qnsp.tenant.quota.QuotaManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The caller's tenant's quotas: usage from the counters the quota control enforces, and forecasts. */
@Tag(name = "Quota management")
@RestController
@RequestMapping("/tenant/v1/quotas")
class QuotaController {

    record QuotaList(List<QuotaManagement.QuotaUsage> quotas) {
    }

    record ForecastRequest(@Schema(description = "quota types to forecast; all of the tenant's when left out")
                           @Nullable List<String> quotaTypes,
                           @Schema(description = "1 to 365; default 30") @Nullable Integer forecastDays) {
    }

    record ForecastList(int forecastDays, List<QuotaManagement.QuotaForecast> forecasts) {
    }

    private final QuotaManagement quotas;

    QuotaController(QuotaManagement quotas) {
        this.quotas = quotas;
    }

    @Operation(summary = "Get current quota usage", operationId = "getCurrentQuotas",
            description = "Every quota the platform counts, with the tenant's limit (its own, else its plan's) and the "
                    + "units used in the current window, read from the quota control's counters. Needs tenant:read.")
    @FailureResponse(status = 503, description = "the quota counters (Redis) cannot be read right now")
    @GetMapping("/current")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.quotas.read", resourceType = "quota")
    QuotaList current(Caller caller) {
        return new QuotaList(quotas.current(caller, TenantRequired.tenantOf(caller)));
    }

    @Operation(summary = "Forecast quota usage", operationId = "forecastQuotas",
            description = "Projects each counter forecastDays ahead at the least-squares daily rate of its daily "
                    + "samples in the current window; exceedsLimitAt is the first day the projection passes the "
                    + "limit (null if it does not within the forecast, or the quota is unlimited). Needs tenant:read.")
    @FailureResponse(status = 503, description = "the quota counters (Redis) cannot be read right now")
    @PostMapping("/forecast")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.quotas.forecast", resourceType = "quota")
    ForecastList forecast(Caller caller, @RequestBody ForecastRequest request) {
        int days = request.forecastDays() == null ? 30 : request.forecastDays();
        return new ForecastList(days, quotas.forecast(caller, TenantRequired.tenantOf(caller), request.quotaTypes(),
                request.forecastDays()));
    }
}
