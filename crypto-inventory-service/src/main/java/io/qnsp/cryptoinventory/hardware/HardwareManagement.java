package io.qnsp.cryptoinventory.hardware;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenant's crypto hardware: registration, health checks, and where the devices stand. */
@Service
public class HardwareManagement {

    /** The status counted for a device no health check was recorded for yet. */
    public static final String UNCHECKED = "unchecked";

    private final HardwareDevices devices;
    private final Clock clock;

    HardwareManagement(HardwareDevices devices, Clock clock) {
        this.devices = devices;
        this.clock = clock;
    }

    public record NewDevice(String name, String type, @Nullable String vendor, @Nullable String model,
                            @Nullable String serialNumber, @Nullable String location, List<String> capabilities,
                            @Nullable String firmwareVersion) {
    }

    public HardwareDevice register(String tenantId, NewDevice d) {
        HardwareDevice device = new HardwareDevice(UUID.randomUUID(), tenantId, d.name(), d.type(), d.vendor(),
                d.model(), d.serialNumber(), d.location(), d.capabilities(), d.firmwareVersion(), clock.instant());
        devices.insert(device);
        return device;
    }

    public record Metrics(@Nullable Double temperature, @Nullable Double operationsPerSecond,
                          @Nullable Double errorRate) {
    }

    /** Records a check of the tenant's device; another tenant's device, or none, is {@link HardwareNotFound}. */
    @Transactional
    public HealthCheck recordHealth(String tenantId, String hardwareId, String status, Metrics metrics) {
        UUID id = parse(hardwareId);
        if (id == null || devices.find(tenantId, id).isEmpty()) {
            throw new HardwareNotFound(hardwareId);
        }
        HealthCheck check = new HealthCheck(UUID.randomUUID(), id, status, metrics.temperature(),
                metrics.operationsPerSecond(), metrics.errorRate(), clock.instant());
        devices.insert(check);
        return check;
    }

    /** A device and the status of its latest health check ({@link #UNCHECKED} before the first). */
    public record DeviceStatus(HardwareDevice device, String status) {
    }

    public List<DeviceStatus> devices(String tenantId) {
        return devices.withLatestStatus(tenantId).stream()
                .map(d -> new DeviceStatus(d.device(), d.latestStatus() == null ? UNCHECKED : d.latestStatus()))
                .toList();
    }

    public record Summary(long totalDevices, Map<String, Long> byType, Map<String, Long> byStatus) {
    }

    /** Devices per type and per latest status; every type and status is present, with 0 when none. */
    public Summary summary(String tenantId) {
        List<DeviceStatus> all = devices(tenantId);
        Map<String, Long> byType = new LinkedHashMap<>();
        HardwareDevice.TYPE_ORDER.forEach(type -> byType.put(type, 0L));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        HealthCheck.STATUSES.forEach(status -> byStatus.put(status, 0L));
        byStatus.put(UNCHECKED, 0L);
        for (DeviceStatus d : all) {
            byType.merge(d.device().type(), 1L, Long::sum);
            byStatus.merge(d.status(), 1L, Long::sum);
        }
        return new Summary(all.size(), byType, byStatus);
    }

    private static @Nullable UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
