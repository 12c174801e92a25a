package io.qnsp.storage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * storage-service: buckets and objects encrypted at rest with data keys from kms-service, classification scans,
 * retention policies and legal holds, replication to other regions.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class StorageApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageApplication.class, args);
    }

    /** The clock every record is stamped with and every retention and lag is measured by. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
