package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** An archived object (its retention expired with the archive action) is read-only. */
class ObjectArchived extends ApiException {

    ObjectArchived() {
        super(HttpStatus.CONFLICT, "object_archived", "The object is archived and can no longer be overwritten",
                Map.of("storageClass", StoredObject.ARCHIVE));
    }
}
