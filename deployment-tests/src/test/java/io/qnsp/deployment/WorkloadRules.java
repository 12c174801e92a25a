package io.qnsp.deployment;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What every workload of the platform (a Deployment or StatefulSet) must declare beyond what the API requires:
 * readiness and liveness probes, CPU and memory requests and a memory limit, and a pod that runs as a non-root user
 * without privilege escalation. The platform's own services also keep their root filesystem read-only.
 */
final class WorkloadRules {

    private WorkloadRules() {
    }

    static List<String> violations(JsonNode workload, boolean readOnlyRootFilesystem) {
        String name = workload.path("kind").asString() + " " + workload.at("/metadata/name").asString();
        List<String> violations = new ArrayList<>();
        JsonNode pod = workload.at("/spec/template/spec");
        if (!pod.at("/securityContext/runAsNonRoot").asBoolean(false)) {
            violations.add(name + ": the pod does not require a non-root user (securityContext.runAsNonRoot)");
        }
        JsonNode containers = pod.path("containers");
        if (containers.isEmpty()) {
            violations.add(name + ": no containers");
        }
        for (JsonNode container : containers) {
            String where = name + " container " + container.path("name").asString();
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                if (!container.has(probe)) {
                    violations.add(where + ": no " + probe);
                }
            }
            for (String resource : List.of("/resources/requests/cpu", "/resources/requests/memory",
                    "/resources/limits/memory")) {
                if (container.at(resource).isMissingNode()) {
                    violations.add(where + ": no " + resource.substring(1).replace('/', '.'));
                }
            }
            if (container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)) {
                violations.add(where + ": privilege escalation is not switched off");
            }
            if (readOnlyRootFilesystem && !container.at("/securityContext/readOnlyRootFilesystem").asBoolean(false)) {
                violations.add(where + ": the root filesystem is writable");
            }
        }
        return violations;
    }
}
