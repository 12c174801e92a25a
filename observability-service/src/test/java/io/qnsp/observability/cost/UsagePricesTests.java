package io.qnsp.observability.cost;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The list prices usage is allocated at are billing-service's price book's, operation for operation. */
class UsagePricesTests {

    @Test
    void theUsagePricesAreTheBillingPriceBooksListPrices() {
        Path billing = Path.of("..", "billing-service", "src", "main", "resources", "application.yml");
        Path own = Path.of("src", "main", "resources", "application.yml");
        assertThat(billing).exists();
        Map<String, BigDecimal> listPrices = prices(billing, "qnsp.billing.price-book.unit-prices");
        assertThat(listPrices).isNotEmpty();
        assertThat(prices(own, "qnsp.observability.costs.unit-prices")).isEqualTo(listPrices);
    }

    private static Map<String, BigDecimal> prices(Path file, String prefix) {
        assertThat(Files.isRegularFile(file)).as(file.toString()).isTrue();
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource(file));
        Properties properties = yaml.getObject();
        Map<String, BigDecimal> prices = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith(prefix + "[")).forEach(name ->
                prices.put(name.substring(prefix.length() + 1, name.length() - 1),
                        new BigDecimal(properties.getProperty(name)).stripTrailingZeros()));
        return prices;
    }
}
