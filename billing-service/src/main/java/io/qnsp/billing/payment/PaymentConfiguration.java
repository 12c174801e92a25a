package io.qnsp.billing.payment;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The built-in test-mode provider, unless another provider is configured. */
@Configuration(proxyBeanMethods = false)
class PaymentConfiguration {

    @Bean
    @ConditionalOnProperty(name = "qnsp.billing.payments.provider", havingValue = TestModePaymentProvider.NAME,
            matchIfMissing = true)
    TestModePaymentProvider testModePaymentProvider() {
        return new TestModePaymentProvider();
    }
}
