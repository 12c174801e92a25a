package io.qnsp.storage.content;

import io.qnsp.storage.StorageSettings;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The volume of this service's own region, where objects are written, and those of the regions it replicates to. */
@Component
public class Volumes {

    private final Volume home;
    private final Map<String, Volume> replicas = new LinkedHashMap<>();

    Volumes(StorageSettings settings) {
        this.home = new Volume(settings.region(), settings.volume());
        settings.replicas().forEach((name, directory) -> replicas.put(name, new Volume(name, directory)));
    }

    public Volume home() {
        return home;
    }

    public Optional<Volume> replica(String region) {
        return Optional.ofNullable(replicas.get(region));
    }

    /** The replica regions' names, in the order configured. */
    public List<String> replicaRegions() {
        return List.copyOf(replicas.keySet());
    }
}
