package io.qnsp.common.kms;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import javax.sql.DataSource;

/**
 * Envelope encryption with data keys from kms-service, switched on by {@code qnsp.kms-client.url}; the service
 * brings {@code spring-security-oauth2-client} and Caffeine, and has a database (the KMS key's id is remembered
 * there).
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration"})
@ConditionalOnClass({OAuth2ClientHttpRequestInterceptor.class, RestClient.class, Caffeine.class, JdbcTemplate.class})
@ConditionalOnProperty(prefix = "qnsp.kms-client", name = "url")
@ConditionalOnBean({DataSource.class, PlatformTransactionManager.class})
@EnableConfigurationProperties(KmsClientProperties.class)
public class KmsClientAutoConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    KmsKeySchema qnspKmsKeySchema(DataSource dataSource, PlatformTransactionManager transactions,
                                  KmsClientProperties properties) {
        return new KmsKeySchema(new JdbcTemplate(dataSource), new TransactionTemplate(transactions),
                properties.schemaInitialization());
    }

    // The data keys take the schema only so that its table exists before they touch it.
    @Bean
    KmsDataKeys qnspKmsDataKeys(KmsKeySchema schema, DataSource dataSource, KmsClientProperties properties) {
        return new KmsDataKeys(properties, new KmsKeyBinding(new JdbcTemplate(dataSource)));
    }

    @Bean
    @ConditionalOnMissingBean(Envelopes.class)
    Envelopes envelopes(KmsDataKeys dataKeys, KmsClientProperties properties) {
        return new Envelopes(dataKeys, properties);
    }
}
