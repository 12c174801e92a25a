package io.qnsp.common.events;

import io.qnsp.test.infra.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class EventSchemaIntegrationTests {

    @Test
    void createsBothTablesInTheCurrentSchemaEvenWhenInstancesStartTogether() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String url = postgres.createDatabase("event_schema");
        new JdbcTemplate(new DriverManagerDataSource(url, postgres.user(), postgres.password()))
                .execute("CREATE SCHEMA billing");
        // Each getConnection() opens a new connection, so the instances below really run side by side.
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url + "?currentSchema=billing",
                postgres.user(), postgres.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                started.add(instances.submit(() -> {
                    go.await();
                    new EventSchema(jdbc, transactions, true).afterPropertiesSet();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> instance : started) {
                instance.get();
            }
        } finally {
            instances.shutdownNow();
        }
        new EventSchema(jdbc, transactions, true).afterPropertiesSet();

        assertThat(jdbc.queryForList("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                        + "WHERE table_name LIKE 'qnsp_%' ORDER BY 1", String.class))
                .containsExactly("billing.qnsp_consumed_event", "billing.qnsp_event_outbox");
    }

    @Test
    void createsNothingWhenSwitchedOff() {
        TestPostgres postgres = TestPostgres.shared();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.createDatabase("no_schema"),
                postgres.user(), postgres.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        new EventSchema(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), false)
                .afterPropertiesSet();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qnsp_%'",
                Integer.class)).isZero();
    }
}
