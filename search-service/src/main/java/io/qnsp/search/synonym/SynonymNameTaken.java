package io.qnsp.search.synonym;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a synonym group of that name. */
public class SynonymNameTaken extends ApiException {

    public SynonymNameTaken(String name) {
        super(HttpStatus.CONFLICT, "synonym_group_exists", "A synonym group with this name exists already",
                Map.of("field", "name", "name", name));
    }
}
