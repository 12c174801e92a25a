package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A bucket is deleted only once it holds no object. */
class BucketNotEmpty extends ApiException {

    BucketNotEmpty(long objects) {
        super(HttpStatus.CONFLICT, "bucket_not_empty", "The bucket still holds objects; delete them first",
                Map.of("objectCount", objects));
    }
}
