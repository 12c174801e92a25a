package io.qnsp.kpi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/** kpi-service: the KPI store of spec 000 (versioned KPI contracts, tenant series, downsampled queries). */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class KpiApplication {

    public static void main(String[] args) {
        SpringApplication.run(KpiApplication.class, args);
    }

    /** The clock contracts and ingested samples are stamped with. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
