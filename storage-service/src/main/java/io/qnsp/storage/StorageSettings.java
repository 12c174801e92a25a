package io.qnsp.storage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where objects live and how large they may be.
 *
 * @param region         the name of the region this service stores objects in (the source of every replication)
 * @param volume         the directory objects are stored in, encrypted
 * @param replicaRegions the other regions objects may be replicated to, each {@code name=directory}
 * @param maxObjectSize  the largest object accepted
 * @param chunkSize      the plaintext size of each encrypted chunk (4KB to 4MB); objects keep the size they were
 *                       written with
 */
@Validated
@ConfigurationProperties("qnsp.storage")
public record StorageSettings(@NotBlank String region, @NotNull Path volume, @DefaultValue List<String> replicaRegions,
                              @DefaultValue("5GB") DataSize maxObjectSize, @DefaultValue("64KB") DataSize chunkSize) {

    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public StorageSettings {
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("qnsp.storage.region must be lower-case letters, digits and hyphens");
        }
        if (chunkSize != null && (chunkSize.toBytes() < 4096 || chunkSize.toBytes() > 4 * 1024 * 1024)) {
            throw new IllegalArgumentException("qnsp.storage.chunk-size must be between 4KB and 4MB");
        }
        if (maxObjectSize != null && maxObjectSize.toBytes() < 1) {
            throw new IllegalArgumentException("qnsp.storage.max-object-size must be positive");
        }
        replicas(region, replicaRegions);
    }

    /** The replica regions by name, in the order configured. */
    public Map<String, Path> replicas() {
        return replicas(region, replicaRegions);
    }

    private static Map<String, Path> replicas(String home, List<String> entries) {
        Map<String, Path> regions = new LinkedHashMap<>();
        if (entries == null) {
            return regions;
        }
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).strip();
            String directory = equals < 0 ? "" : entry.substring(equals + 1).strip();
            if (!REGION.matcher(name).matches() || directory.isEmpty()) {
                throw new IllegalArgumentException("qnsp.storage.replica-regions entries are name=directory, the "
                        + "name lower-case letters, digits and hyphens: " + entry);
            }
            if (name.equals(home) || regions.putIfAbsent(name, Path.of(directory)) != null) {
                throw new IllegalArgumentException("qnsp.storage.replica-regions names region " + name + " twice");
            }
        }
        return regions;
    }
}
