package io.qnsp.common.controls;

import io.qnsp.common.events.EventOutbox;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Controls that could not be enforced stop the service from starting instead of failing (or passing) later. */
class RequiredControlsVerifierTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
                    AopAutoConfiguration.class, JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    RequiredControlsAutoConfiguration.class));

    @RestController
    static class AuditedController {
        @GetMapping("/audited")
        @RequiredControls(audit = "thing.read", resourceId = "#id")
        String read() {
            return "ok";
        }
    }

    @RestController
    static class BadExpressionController {
        @GetMapping("/bad")
        @RequiredControls(scopes = "x:read", resourceId = "#id +* 1")
        String read() {
            return "ok";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Outbox {
        final List<Object> events = new ArrayList<>();

        @Bean
        EventOutbox eventOutbox() {
            return events::add;
        }
    }

    @Test
    void auditWithoutAnOutboxFailsStartup() {
        runner.withUserConfiguration(AuditedController.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("AuditedController.read: audit/metering need an EventOutbox bean");
        });
    }

    @Test
    void auditWithAnOutboxStartsAndTheControllerIsProxied() {
        runner.withUserConfiguration(AuditedController.class, Outbox.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(AopUtils.isAopProxy(context.getBean(AuditedController.class)))
                    .isTrue();
        });
    }

    @Test
    void unparsableResourceIdFailsStartup() {
        runner.withUserConfiguration(BadExpressionController.class, Outbox.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("BadExpressionController.read: resourceId is not a valid expression");
        });
    }
}
