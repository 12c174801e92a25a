package io.qnsp.kms;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** kms-service: tenant keys with classical and post-quantum algorithms, usage analytics and crypto agility. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class KmsApplication {

    public static void main(String[] args) {
        SpringApplication.run(KmsApplication.class, args);
    }
}
