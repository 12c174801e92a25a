package io.qnsp.vault;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** vault-service: versioned secrets, dynamic database credentials and leak detection. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class VaultApplication {

    public static void main(String[] args) {
        SpringApplication.run(VaultApplication.class, args);
    }
}
