package io.qnsp.securitymonitoring.surface;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AttackSurfaceTests {

    @Test
    void privateAddressesAreToldFromPublicOnesWithoutANameLookup() {
        assertThat(AttackSurface.isPrivate("10.1.2.3")).isTrue();
        assertThat(AttackSurface.isPrivate("192.168.0.1")).isTrue();
        assertThat(AttackSurface.isPrivate("172.16.5.5")).isTrue();
        assertThat(AttackSurface.isPrivate("127.0.0.1")).isTrue();
        assertThat(AttackSurface.isPrivate("169.254.169.254")).isTrue();
        assertThat(AttackSurface.isPrivate("localhost")).isTrue();
        assertThat(AttackSurface.isPrivate("kms-service.qnsp.svc.cluster.local")).isTrue();
        assertThat(AttackSurface.isPrivate("[::1]")).isTrue();
        assertThat(AttackSurface.isPrivate("[fd00::1]")).isTrue();
        assertThat(AttackSurface.isPrivate("8.8.8.8")).isFalse();
        assertThat(AttackSurface.isPrivate("hooks.example.com")).isFalse();
    }

    @Test
    void anOperationAdmitsTheScopesItNeedsOrAdmin() {
        ExposedOperation scoped = new ExposedOperation("kms-service", "POST", "/kms/v1/keys", true,
                List.of("kms:write"), List.of());
        assertThat(scoped.admits(Set.of("kms:write"), Set.of(), true)).isTrue();
        assertThat(scoped.admits(Set.of("kms:read"), Set.of(), true)).isFalse();
        assertThat(scoped.admits(Set.of("admin"), Set.of(), true)).isTrue();
        assertThat(scoped.admits(Set.of(), Set.of("admin"), true)).isTrue();
        assertThat(scoped.admits(Set.of("kms:write"), Set.of(), false)).isFalse();
        ExposedOperation roleBound = new ExposedOperation("auth-service", "POST", "/auth/v1/tenants", true,
                List.of(), List.of("platform_admin"));
        assertThat(roleBound.admits(Set.of("admin"), Set.of(), true)).isFalse();
        assertThat(roleBound.unscoped()).isFalse();
        ExposedOperation open = new ExposedOperation("x", "GET", "/x", false, List.of(), List.of());
        assertThat(open.admits(Set.of(), Set.of(), false)).isTrue();
        assertThat(new ExposedOperation("auth-service", "POST", "/api/v1/keys", true, List.of("write:keys"),
                List.of()).issuesCredentials()).isTrue();
        assertThat(new ExposedOperation("auth-service", "POST", "/api/v1/keys/{id}/rotate", true,
                List.of("write:keys"), List.of()).issuesCredentials()).isTrue();
        assertThat(scoped.issuesCredentials()).isFalse();
    }
}
