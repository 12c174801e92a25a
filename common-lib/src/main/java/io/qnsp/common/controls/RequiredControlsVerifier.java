package io.qnsp.common.controls;

import io.qnsp.common.events.EventOutbox;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Fails startup, rather than the first request, when an endpoint's controls cannot be enforced: an unparsable
 * {@code resourceId}, audit or metering without an {@link EventOutbox}, a quota without Redis, or a controller the
 * controls' proxy could not wrap (an unenforced entitlement must never go unnoticed).
 */
class RequiredControlsVerifier implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final RequiredControlsEnforcer enforcer;

    RequiredControlsVerifier(ApplicationContext context, RequiredControlsEnforcer enforcer) {
        this.context = context;
        this.enforcer = enforcer;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> problems = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (HandlerMethod handler : mapping.getHandlerMethods().values()) {
                if (!AnnotatedElementUtils.hasAnnotation(handler.getMethod(), RequiredControls.class)) {
                    continue;
                }
                verify(handler, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("@RequiredControls cannot be enforced: " + String.join("; ", problems));
        }
    }

    private void verify(HandlerMethod handler, List<String> problems) {
        String where = handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName();
        RequiredControlsEnforcer.Plan plan;
        try {
            plan = enforcer.plan(handler.getMethod(), handler.getBeanType());
        } catch (RequiredControlsEnforcer.InvalidAuditDetails e) {
            problems.add(where + ": auditDetails is not a valid expression (" + e.getMessage() + ")");
            return;
        } catch (RuntimeException e) {
            problems.add(where + ": resourceId is not a valid expression (" + e.getMessage() + ")");
            return;
        }
        if (plan.publishes() && context.getBeanProvider(EventOutbox.class).getIfAvailable() == null) {
            problems.add(where + ": audit/metering need an EventOutbox bean");
        }
        if (!plan.controls().quota().isEmpty()
                && context.getBeanProvider(StringRedisTemplate.class).getIfAvailable() == null) {
            problems.add(where + ": quota needs Redis (a StringRedisTemplate bean)");
        }
        Object bean = handler.getBean() instanceof String name ? context.getBean(name) : handler.getBean();
        if (!AopUtils.isAopProxy(bean)) {
            problems.add(where + ": the controller is not proxied, so its controls would not run");
        }
    }
}
