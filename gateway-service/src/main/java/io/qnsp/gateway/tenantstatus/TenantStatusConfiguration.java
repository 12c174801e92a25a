package io.qnsp.gateway.tenantstatus;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.common.redis.RedisProperties;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Tenants' billing statuses: the reader of billing-service's {@code tenant-status} stream and the filter that
 * refuses suspended and cancelled tenants' calls ({@code qnsp.gateway.tenant-status.enabled}, on by default).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "qnsp.gateway.tenant-status.enabled", matchIfMissing = true)
class TenantStatusConfiguration {

    @Bean
    TenantStatuses tenantStatuses() {
        return new TenantStatuses();
    }

    @Bean
    TenantStatusReader tenantStatusReader(ReactiveRedisConnectionFactory connections, RedisKeys keys,
                                          RedisProperties redis, TenantStatusProperties properties,
                                          TenantStatuses statuses) {
        // the key common-lib's outbox relay writes: <prefix>events:<stream>
        return new TenantStatusReader(connections, keys.key("events:" + TenantStatusReader.STREAM), statuses,
                properties, redis.commandTimeout());
    }

    @Bean
    SuspensionScope suspensionScope(TenantStatusProperties properties) {
        return new SuspensionScope(properties);
    }

    @Bean
    TenantStatusFilter tenantStatusFilter(TenantStatuses statuses, SuspensionScope scope, GatewayErrors errors) {
        return new TenantStatusFilter(statuses, scope, errors);
    }
}
