package io.qnsp.vault.dynamic;

/** A config with the number of its leases that are active. */
public record ListedConfig(DynamicSecretConfig config, long activeLeases) {
}
