package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** The caller holds none of the roles the JIT policy names as approvers. */
public class ApproverRoleMissing extends ApiException {

    public ApproverRoleMissing(List<String> roles) {
        super(HttpStatus.FORBIDDEN, "approver_role_required", "Processing this request needs one of the roles "
                + roles, Map.of("approverRoles", roles));
    }
}
