package io.qnsp.ratelimit;

import io.qnsp.ratelimit.check.web.DecisionServer;
import org.springframework.context.ApplicationContext;

/** The two ways {@code POST /v1/check} is served; a contract test runs through both to prove them the same. */
enum Transport {

    /** Spring MVC on the main port */
    SERVLET,
    /** the Netty decision server on its own port */
    DECISION_SERVER;

    /** A client whose checks go through this transport (administration always goes to the main port). */
    RateLimitClient client(ApplicationContext context) {
        int main = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return new RateLimitClient(main, this == SERVLET ? main : context.getBean(DecisionServer.class).port());
    }
}
