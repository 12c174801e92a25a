package io.qnsp.cryptoinventory.hardware;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A crypto hardware device a tenant registered: an HSM, a TPM, a smartcard or an accelerator. */
public record HardwareDevice(UUID hardwareId, String tenantId, String name, String type, @Nullable String vendor,
                             @Nullable String model, @Nullable String serialNumber, @Nullable String location,
                             List<String> capabilities, @Nullable String firmwareVersion, Instant createdAt) {

    public static final Set<String> TYPES = Set.of("hsm", "tpm", "smartcard", "accelerator");
    /** In the order summaries list them. */
    public static final List<String> TYPE_ORDER = List.of("hsm", "tpm", "smartcard", "accelerator");

    public HardwareDevice {
        capabilities = List.copyOf(capabilities);
    }
}
