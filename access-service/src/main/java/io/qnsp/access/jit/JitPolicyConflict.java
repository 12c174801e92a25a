package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A JIT policy clashes with another of the tenant: same name, or a resource type the other already covers. */
class JitPolicyConflict extends ApiException {

    private JitPolicyConflict(String code, String message, String field) {
        super(HttpStatus.CONFLICT, code, message, Map.of("field", field));
    }

    static JitPolicyConflict nameTaken() {
        return new JitPolicyConflict("jit_policy_name_taken", "A JIT policy with this name already exists", "name");
    }

    static JitPolicyConflict resourceTypeCovered(String type) {
        return new JitPolicyConflict("resource_type_covered",
                "Resource type " + type + " is already covered by another JIT policy", "resourceTypes");
    }
}
