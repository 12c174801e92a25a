package io.qnsp.observability.cost;

import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * The platform's own metered usage as costs: every event of the {@code usage} stream (what each service's
 * {@code @RequiredControls(metering = …)} publishes) is priced at its operation's list price and added to its
 * tenant's allocation for that operation and day. common-lib calls {@link #allocate} once per event id, in the
 * transaction that records the id, so a redelivered event is never charged twice.
 */
@Component
class UsageCosts {

    static final String GROUP = "observability-service";

    private static final Logger log = LoggerFactory.getLogger(UsageCosts.class);

    private final CostManagement costs;

    UsageCosts(CostManagement costs) {
        this.costs = costs;
    }

    /** The subscription to the {@code usage} stream, under observability-service's group. */
    @Configuration(proxyBeanMethods = false)
    static class Subscription {

        @Bean
        EventStreamListener<UsageEvent> observabilityUsage(UsageCosts usageCosts) {
            return new EventStreamListener<>(UsageEvent.STREAM, GROUP, UsageEvent.class, usageCosts::allocate);
        }
    }

    void allocate(UsageEvent event) {
        if (event.tenantId() == null || event.tenantId().isBlank() || event.operation() == null
                || event.occurredAt() == null) {
            return;
        }
        if (costs.allocateUsage(event.tenantId(), event.operation(), event.quantity(), event.occurredAt())
                .isEmpty()) {
            log.debug("Usage event {} of operation {} has no list price; not allocated", event.eventId(),
                    event.operation());
        }
    }
}
