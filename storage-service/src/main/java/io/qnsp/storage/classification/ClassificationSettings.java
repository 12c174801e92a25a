package io.qnsp.storage.classification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * How classification scans run.
 *
 * @param maxScannedBytes    at most this much of each object's content is scanned (the rest is not read)
 * @param threads            scans an instance runs at once
 * @param pollInterval       how often an instance looks for queued scans
 * @param lease              how long a claimed scan stays with its instance without progress before another may
 *                           take it over
 * @param assumedThroughput  bytes per second assumed for completion estimates until scans have been measured
 */
@ConfigurationProperties("qnsp.storage.classification")
public record ClassificationSettings(@DefaultValue("10MB") DataSize maxScannedBytes, @DefaultValue("2") int threads,
                                     @DefaultValue("2s") Duration pollInterval, @DefaultValue("1m") Duration lease,
                                     @DefaultValue("20MB") DataSize assumedThroughput) {

    public ClassificationSettings {
        if (maxScannedBytes.toBytes() < 1 || threads < 1 || assumedThroughput.toBytes() < 1) {
            throw new IllegalArgumentException("qnsp.storage.classification: max-scanned-bytes, threads and "
                    + "assumed-throughput must be positive");
        }
    }
}
