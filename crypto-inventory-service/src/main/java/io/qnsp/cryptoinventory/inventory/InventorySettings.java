package io.qnsp.cryptoinventory.inventory;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where the inventory's assets come from.
 *
 * @param kmsUrl          kms-service's base URL (keys, crypto-agility reports, BYOHSM connections)
 * @param jwksUri         auth-service's JWK set: the platform's token signing keys
 * @param tlsCertificates PEM files of the TLS certificates the platform serves with
 * @param connectTimeout  how long to wait for a connection to kms-service or auth-service
 * @param readTimeout     how long to wait for their answer
 */
@Validated
@ConfigurationProperties("qnsp.crypto-inventory")
public record InventorySettings(@NotNull URI kmsUrl, @NotNull URI jwksUri, @DefaultValue List<String> tlsCertificates,
                                @DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout) {

    public InventorySettings {
        tlsCertificates = tlsCertificates == null ? List.of()
                : tlsCertificates.stream().map(String::strip).filter(path -> !path.isEmpty()).toList();
    }
}
