package io.qnsp.common.controls;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.DatabaseUnreachable;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.security.AuthenticationRequired;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.Callers;
import io.qnsp.common.web.RequestIds;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.http.HttpEntity;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponse;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies a method's {@link RequiredControls} around its invocation: entitlements, admin and quota before, and
 * audit and usage events in the same database transaction as the method's own changes. A call that fails is
 * rolled back with its success events, and recorded as {@code failure} (or {@code denied}) in a transaction of
 * its own.
 */
class RequiredControlsEnforcer {

    private static final Logger log = LoggerFactory.getLogger(RequiredControlsEnforcer.class);

    static final String SUCCESS = "success";
    static final String FAILURE = "failure";
    static final String DENIED = "denied";

    private final ObjectProvider<EventOutbox> outbox;
    private final ObjectProvider<PlatformTransactionManager> transactionManager;
    private final QuotaCounter quota;
    private final BeanFactory beanFactory;
    private final String service;
    private final Clock clock;
    private final SpelExpressionParser parser = new SpelExpressionParser();
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();

    RequiredControlsEnforcer(ObjectProvider<EventOutbox> outbox,
                             ObjectProvider<PlatformTransactionManager> transactionManager, QuotaCounter quota,
                             BeanFactory beanFactory, String service, Clock clock) {
        this.outbox = outbox;
        this.transactionManager = transactionManager;
        this.quota = quota;
        this.beanFactory = beanFactory;
        this.service = service;
        this.clock = clock;
    }

    /** A method's controls, read and parsed once. */
    record Plan(RequiredControls controls, Expression resourceId, boolean resourceIdFromResult,
                Expression auditDetails) {

        boolean audited() {
            return !controls.audit().isEmpty();
        }

        boolean metered() {
            return !controls.metering().isEmpty();
        }

        boolean needsCaller() {
            return controls.admin() || controls.roles().length > 0 || controls.scopes().length > 0
                    || !controls.addOn().isEmpty()
                    || !controls.quota().isEmpty();
        }

        boolean publishes() {
            return audited() || metered();
        }
    }

    /** The auditDetails expression of a method does not parse. */
    static final class InvalidAuditDetails extends RuntimeException {

        InvalidAuditDetails(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    Plan plan(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        return plans.computeIfAbsent(specific, m -> {
            RequiredControls controls = AnnotatedElementUtils.findMergedAnnotation(m, RequiredControls.class);
            if (controls == null) {
                controls = AnnotatedElementUtils.findMergedAnnotation(method, RequiredControls.class);
            }
            if (controls == null) {
                throw new IllegalStateException("no @RequiredControls on " + m);
            }
            String source = controls.resourceId();
            Expression expression = source.isBlank() ? null : parser.parseExpression(source);
            Expression details;
            try {
                details = controls.auditDetails().isBlank() ? null : parser.parseExpression(controls.auditDetails());
            } catch (RuntimeException e) {
                throw new InvalidAuditDetails(e);
            }
            return new Plan(controls, expression, source.contains("#result"), details);
        });
    }

    Object enforce(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Plan plan = plan(invocation.getMethod(), target == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(target));
        RequiredControls controls = plan.controls();
        Caller caller = Callers.current().orElse(null);
        String resourceId = plan.audited() && !plan.resourceIdFromResult() ? resourceId(plan, invocation, null) : null;
        QuotaCounter.Unit unit = null;
        try {
            check(plan, caller);
            if (!controls.quota().isEmpty() && caller.tenantId() != null) {
                unit = quota.take(caller.tenantId(), caller.plan(), controls.quota(),
                        caller.quotas().get(controls.quota()));
            }
            Outcome outcome = plan.publishes() ? invokePublishing(plan, invocation, caller, resourceId)
                    : new Outcome(invocation.proceed(), true);
            if (!outcome.succeeded() && unit != null) {
                unit.giveBack();
            }
            return outcome.result();
        } catch (Throwable failure) {
            if (unit != null) {
                unit.giveBack();
            }
            if (plan.audited()) {
                recordFailure(plan, caller, resourceId, auditDetails(plan, invocation, null), failure);
            }
            throw failure;
        }
    }

    private void check(Plan plan, Caller caller) {
        if (!plan.needsCaller()) {
            return;
        }
        RequiredControls controls = plan.controls();
        if (caller == null) {
            throw new AuthenticationRequired();
        }
        if (controls.admin() && !caller.isAdmin()) {
            throw ControlDenied.adminRequired();
        }
        for (String role : controls.roles()) {
            if (!caller.hasRole(role)) {
                throw ControlDenied.roleRequired(role);
            }
        }
        // an admin holds every scope, as the DataHub reference puts it: "scope X or admin"
        if (!caller.holdsEveryScope()) {
            List<String> missing = new ArrayList<>();
            for (String scope : controls.scopes()) {
                if (!caller.hasScope(scope)) {
                    missing.add(scope);
                }
            }
            if (!missing.isEmpty()) {
                throw ControlDenied.scopesMissing(missing);
            }
        }
        if (!controls.addOn().isEmpty() && !caller.hasAddOn(controls.addOn())) {
            throw ControlDenied.addOnRequired(controls.addOn());
        }
    }

    private record Outcome(Object result, boolean succeeded) {
    }

    /** Runs the method and appends its success events, in one transaction when a transaction manager exists. */
    private Outcome invokePublishing(Plan plan, MethodInvocation invocation, Caller caller, String resourceIdBefore)
            throws Throwable {
        EventOutbox events = outbox.getIfAvailable();
        if (events == null) {
            throw new IllegalStateException("@RequiredControls audit/metering on " + invocation.getMethod()
                    + " needs an EventOutbox bean");
        }
        PlatformTransactionManager manager = transactionManager.getIfUnique();
        if (manager == null) {
            return invokeAndAppend(plan, invocation, caller, resourceIdBefore, events);
        }
        TransactionTemplate transaction = new TransactionTemplate(manager);
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        try {
            return transaction.execute(status -> {
                try {
                    return invokeAndAppend(plan, invocation, caller, resourceIdBefore, events);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable checked) {
                    throw new CheckedFailure(checked);
                }
            });
        } catch (CheckedFailure wrapper) {
            throw wrapper.getCause();
        }
    }

    private Outcome invokeAndAppend(Plan plan, MethodInvocation invocation, Caller caller, String resourceIdBefore,
                                    EventOutbox events) throws Throwable {
        Object result = invocation.proceed();
        boolean succeeded = !(result instanceof ResponseEntity<?> response && response.getStatusCode().isError());
        if (plan.audited()) {
            String resourceId = plan.resourceIdFromResult() ? resourceId(plan, invocation, result) : resourceIdBefore;
            Map<String, String> details = new LinkedHashMap<>(auditDetails(plan, invocation, succeeded ? result : null));
            if (!succeeded) {
                details.put("status", String.valueOf(((ResponseEntity<?>) result).getStatusCode().value()));
            }
            events.append(audit(plan, caller, resourceId, succeeded ? SUCCESS : FAILURE, details));
        }
        if (plan.metered() && succeeded) {
            events.append(new UsageEvent(UUID.randomUUID(), clock.instant(), caller == null ? null : caller.tenantId(),
                    caller == null ? null : caller.principal(), plan.controls().metering(), 1, RequestIds.current(),
                    service));
        }
        return new Outcome(result, succeeded);
    }

    /** Records a failed or refused call, in a transaction of its own: the call's own transaction has rolled back. */
    private void recordFailure(Plan plan, Caller caller, String resourceId, Map<String, String> extra,
                               Throwable failure) {
        int status = status(failure);
        String outcome = status == 401 || status == 403 || status == 429 ? DENIED : FAILURE;
        Map<String, String> details = new LinkedHashMap<>(extra);
        details.put("status", String.valueOf(status));
        details.put("code", code(failure));
        AuditEvent event = audit(plan, caller, resourceId, outcome, details);
        if (DatabaseUnreachable.cause(failure) != null) {
            // the outbox lives in the same database: trying would only hold the caller for another connection timeout
            log.warn("Audit event {} {} for request {} not recorded: the database cannot be reached", event.action(),
                    outcome, event.requestId());
            return;
        }
        try {
            EventOutbox events = outbox.getIfAvailable();
            if (events == null) {
                log.error("No EventOutbox: lost audit event {} {} for {}", event.action(), outcome, event.requestId());
                return;
            }
            PlatformTransactionManager manager = transactionManager.getIfUnique();
            if (manager == null) {
                events.append(event);
            } else {
                TransactionTemplate transaction = new TransactionTemplate(manager);
                transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
                transaction.executeWithoutResult(s -> events.append(event));
            }
        } catch (RuntimeException e) {
            log.error("Could not record audit event {} {} for request {}", event.action(), outcome,
                    event.requestId(), e);
            failure.addSuppressed(e);
        }
    }

    private AuditEvent audit(Plan plan, Caller caller, String resourceId, String outcome, Map<String, String> details) {
        RequiredControls controls = plan.controls();
        return new AuditEvent(UUID.randomUUID(), clock.instant(), caller == null ? null : caller.tenantId(),
                caller == null ? null : caller.principal(), controls.audit(),
                controls.resourceType().isEmpty() ? null : controls.resourceType(), resourceId, outcome,
                RequestIds.current(), service, details);
    }

    private String resourceId(Plan plan, MethodInvocation invocation, Object result) {
        if (plan.resourceId() == null) {
            return null;
        }
        try {
            MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, invocation.getMethod(),
                    invocation.getArguments(), parameterNames);
            context.setBeanResolver(new BeanFactoryResolver(beanFactory));
            context.setVariable("result", result instanceof HttpEntity<?> entity ? entity.getBody() : result);
            Object value = plan.resourceId().getValue(context);
            return value == null ? null : value.toString();
        } catch (RuntimeException e) {
            // a missing id must not turn a successful call into a failed one
            log.warn("Could not evaluate resourceId '{}' on {}: {}", plan.controls().resourceId(),
                    invocation.getMethod(), e.toString());
            return null;
        }
    }

    /** The audit details the method's expression gives; none when it has none or it cannot be evaluated. */
    private Map<String, String> auditDetails(Plan plan, MethodInvocation invocation, Object result) {
        if (plan.auditDetails() == null) {
            return Map.of();
        }
        try {
            MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, invocation.getMethod(),
                    invocation.getArguments(), parameterNames);
            context.setBeanResolver(new BeanFactoryResolver(beanFactory));
            context.setVariable("result", result instanceof HttpEntity<?> entity ? entity.getBody() : result);
            Map<String, String> details = new LinkedHashMap<>();
            if (plan.auditDetails().getValue(context) instanceof Map<?, ?> map) {
                map.forEach((name, value) -> {
                    if (name != null && value != null) {
                        details.put(name.toString(), value.toString());
                    }
                });
            }
            return details;
        } catch (RuntimeException e) {
            // missing details must not turn a successful call into a failed one
            log.warn("Could not evaluate auditDetails '{}' on {}: {}", plan.controls().auditDetails(),
                    invocation.getMethod(), e.toString());
            return Map.of();
        }
    }

    private static int status(Throwable failure) {
        return switch (failure) {
            case ApiException e -> e.status().value();
            case AuthenticationException e -> 401;
            case AccessDeniedException e -> 403;
            case ErrorResponse e -> e.getStatusCode().value();
            default -> 500;
        };
    }

    private static String code(Throwable failure) {
        return switch (failure) {
            case ApiException e -> e.code();
            case AuthenticationException e -> ErrorCodes.UNAUTHORIZED;
            case AccessDeniedException e -> ErrorCodes.FORBIDDEN;
            case ErrorResponse e -> ErrorCodes.forStatus(e.getStatusCode());
            default -> ErrorCodes.INTERNAL_ERROR;
        };
    }

    /** Carries a checked exception through {@link TransactionTemplate}, which rolls back for it like any other. */
    private static final class CheckedFailure extends RuntimeException {

        CheckedFailure(Throwable cause) {
            super(cause);
        }
    }
}
