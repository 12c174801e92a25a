package io.qnsp.common.controls;

import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.common.security.PlatformSecurityAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.time.Clock;

/**
 * Enforces {@link RequiredControls} on every annotated controller method, once for all services: an advisor
 * wraps the methods, so no controller writes entitlement, quota, audit or metering code of its own.
 */
@AutoConfiguration(after = {PlatformSecurityAutoConfiguration.class, RedisAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RequestMappingHandlerMapping.class)
@EnableConfigurationProperties(ControlsProperties.class)
public class RequiredControlsAutoConfiguration {

    /** Outermost around the method, so refusals by method security inside are audited as denied too. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor qnspRequiredControlsAdvisor(ObjectProvider<RequiredControlsEnforcer> enforcer) {
        // the enforcer is looked up on first call: advisors are created before most beans exist
        MethodInterceptor interceptor = invocation -> enforcer.getObject().enforce(invocation);
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                new AnnotationMatchingPointcut(null, RequiredControls.class, true), interceptor);
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }

    @Bean
    QuotaCounter qnspQuotaCounter(ObjectProvider<StringRedisTemplate> redis, ObjectProvider<RedisKeys> keys,
                                  ObjectProvider<MeterRegistry> meters, ControlsProperties properties,
                                  ObjectProvider<Clock> clock) {
        return new QuotaCounter(redis, keys, meters, properties, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    RequiredControlsEnforcer qnspRequiredControlsEnforcer(ObjectProvider<EventOutbox> outbox,
                                                          ObjectProvider<PlatformTransactionManager> transactionManager,
                                                          QuotaCounter quota, BeanFactory beanFactory,
                                                          Environment environment, ObjectProvider<Clock> clock) {
        return new RequiredControlsEnforcer(outbox, transactionManager, quota, beanFactory,
                environment.getProperty("spring.application.name", "application"),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    RequiredControlsVerifier qnspRequiredControlsVerifier(ApplicationContext context,
                                                          RequiredControlsEnforcer enforcer) {
        return new RequiredControlsVerifier(context, enforcer);
    }
}
