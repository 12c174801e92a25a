package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The tenant has no bucket of that name. */
public class BucketNotFound extends ApiException {

    public BucketNotFound() {
        super(HttpStatus.NOT_FOUND, "bucket_not_found", "No such bucket");
    }
}
