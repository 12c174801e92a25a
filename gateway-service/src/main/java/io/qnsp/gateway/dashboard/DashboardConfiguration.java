package io.qnsp.gateway.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The web console at {@code /dashboard/} (docs/dashboard.md). */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    RouterFunction<ServerResponse> dashboardRoutes() {
        DashboardRoutes routes = new DashboardRoutes(new DashboardFiles(DashboardConfiguration.class.getClassLoader()));
        return RouterFunctions.route()
                .GET("/dashboard", routes::redirect)
                .GET("/dashboard/", routes::index)
                .GET("/dashboard/{*path}", routes::file)
                .build();
    }
}
