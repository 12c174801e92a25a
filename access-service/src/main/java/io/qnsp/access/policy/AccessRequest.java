package io.qnsp.access.policy;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One question to the engine: may this principal perform this action on this resource, in this context?
 *
 * @param environment the request context's attributes (e.g. {@code sourceIp}, {@code mfa}); conditions name them
 *                    {@code environment.<name>}
 * @param timestamp   the moment the question is about; {@code null} for the moment it is evaluated
 */
public record AccessRequest(Principal principal, Resource resource, String action, Map<String, Object> environment,
                            @Nullable Instant timestamp) {

    public AccessRequest {
        environment = environment == null ? Map.of() : environment;
    }

    /**
     * @param type   user, service or group
     * @param groups the groups the principal belongs to, as the caller knows them
     */
    public record Principal(String type, String id, List<String> groups) {

        public Principal {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        /** {@code type:id}, as policies and samples name a principal. */
        public String name() {
            return type + ":" + id;
        }
    }

    public record Resource(String type, String id, Map<String, Object> attributes) {

        public Resource {
            attributes = attributes == null ? Map.of() : attributes;
        }

        /** {@code type:id}, as policies and samples name a resource. */
        public String name() {
            return type + ":" + id;
        }
    }
}
