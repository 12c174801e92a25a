package io.qnsp.storage.retention;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An object under an active legal hold is neither overwritten nor deleted until every such hold is released. */
class ObjectUnderLegalHold extends ApiException {

    ObjectUnderLegalHold(List<UUID> holdIds) {
        super(HttpStatus.CONFLICT, "object_under_legal_hold", "The object is under a legal hold",
                Map.of("holdIds", holdIds.stream().map(UUID::toString).toList()));
    }
}
