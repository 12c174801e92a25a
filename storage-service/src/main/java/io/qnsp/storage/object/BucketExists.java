package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a bucket of that name. */
class BucketExists extends ApiException {

    BucketExists() {
        super(HttpStatus.CONFLICT, "bucket_exists", "A bucket with this name already exists",
                Map.of("field", "bucket"));
    }
}
