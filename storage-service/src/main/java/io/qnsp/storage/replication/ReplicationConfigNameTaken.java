package io.qnsp.storage.replication;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a replication configuration of that name. */
class ReplicationConfigNameTaken extends ApiException {

    ReplicationConfigNameTaken() {
        super(HttpStatus.CONFLICT, "configuration_name_taken",
                "A replication configuration with this name already exists", Map.of("field", "name"));
    }
}
