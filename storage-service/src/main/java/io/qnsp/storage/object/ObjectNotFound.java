package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The bucket has no object under that key (or the tenant has no object of that id). */
public class ObjectNotFound extends ApiException {

    public ObjectNotFound() {
        super(HttpStatus.NOT_FOUND, "object_not_found", "No such object");
    }
}
