package io.qnsp.audit.requestlog.web;

import io.qnsp.audit.requestlog.RequestLogDetails;
import io.qnsp.audit.requestlog.RequestLogFilter;
import io.qnsp.audit.requestlog.RequestLogManagement;
import io.qnsp.audit.requestlog.RequestLogSummary;
import io.qnsp.audit.requestlog.RequestStats;
import io.qnsp.audit.requestlog.StatsPeriod;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.envelope.Paged;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * DataHub request logs (spec 003), read from the gateway's request-log events. Answers in the DataHub family; the
 * scope check comes from the controls, the tenant scoping from the caller.
 */
@Tag(name = "Request logs")
@RestController
@RequestMapping("/api/v1/requests")
class RequestLogController {

    static final String READ_REQUESTS = "read:requests";

    private final RequestLogManagement management;

    RequestLogController(RequestLogManagement management) {
        this.management = management;
    }

    @Operation(summary = "List request logs", operationId = "listRequestLogs",
            description = "Newest first. path is a prefix; dates are ISO-8601.")
    @GetMapping
    @RequiredControls(scopes = READ_REQUESTS)
    Paged<RequestLogSummary> list(Caller caller,
                                  @RequestParam(required = false) String keyId,
                                  @RequestParam(required = false) String method,
                                  @RequestParam(required = false) String path,
                                  @RequestParam(required = false) Integer status,
                                  @RequestParam(required = false) String startDate,
                                  @RequestParam(required = false) String endDate,
                                  @RequestParam(required = false) Boolean rateLimited,
                                  @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer pageSize) {
        RequestLogFilter filter = RequestLogFilter.parse(keyId, method, path, status, startDate, endDate,
                rateLimited);
        return management.list(caller, filter, page, pageSize);
    }

    @Operation(summary = "Request statistics", operationId = "getRequestStats",
            description = "period: minute|hour|day (default hour).")
    @GetMapping("/stats")
    @RequiredControls(scopes = READ_REQUESTS)
    RequestStats stats(Caller caller,
                       @RequestParam(required = false) String keyId,
                       @RequestParam(required = false) String period,
                       @RequestParam(required = false) String startDate,
                       @RequestParam(required = false) String endDate) {
        RequestLogFilter filter = RequestLogFilter.parse(keyId, null, null, null, startDate, endDate, null);
        return management.stats(caller, filter, StatsPeriod.parse(period));
    }

    @Operation(summary = "Get one request log", operationId = "getRequestLog")
    @GetMapping("/{id}")
    @RequiredControls(scopes = READ_REQUESTS)
    RequestLogDetails get(Caller caller, @PathVariable String id) {
        return management.get(caller, id);
    }
}
