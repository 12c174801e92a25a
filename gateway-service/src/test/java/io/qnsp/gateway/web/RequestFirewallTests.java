package io.qnsp.gateway.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFirewallTests {

    @Test
    void normalPathsPass() {
        for (String path : new String[]{"/", "/kms/v1/keys", "/kms/v1/keys/", "/api/v1/requests/req-1.json",
                "/v1/check", "/vault/v1/secrets/my%20secret", "/storage/v1/buckets/b/objects/a.b.c", "/.well-known/jwks",
                "/a/...", "/a/.hidden"}) {
            assertThat(RequestFirewall.checkPath(path)).as(path).isNull();
        }
    }

    @Test
    void pathsThatCouldMeanSomethingElseDownstreamAreRefused() {
        assertThat(RequestFirewall.checkPath("/kms/v1/../admin")).isSameAs(RequestFirewall.NOT_NORMALIZED);
        assertThat(RequestFirewall.checkPath("/kms/v1/..")).isSameAs(RequestFirewall.NOT_NORMALIZED);
        assertThat(RequestFirewall.checkPath("/kms/./v1")).isSameAs(RequestFirewall.NOT_NORMALIZED);
        assertThat(RequestFirewall.checkPath("/kms//v1")).isSameAs(RequestFirewall.NOT_NORMALIZED);
        assertThat(RequestFirewall.checkPath("//kms/v1")).isSameAs(RequestFirewall.NOT_NORMALIZED);
        assertThat(RequestFirewall.checkPath("/kms/v1;jsessionid=1")).isSameAs(RequestFirewall.SEMICOLON);
        assertThat(RequestFirewall.checkPath("/kms\\v1")).isSameAs(RequestFirewall.BACKSLASH);
        assertThat(RequestFirewall.checkPath("/kms/v1/\u00e9")).isSameAs(RequestFirewall.NOT_PRINTABLE);
        assertThat(RequestFirewall.checkPath("/kms/v1/\t")).isSameAs(RequestFirewall.NOT_PRINTABLE);
        for (String encoded : new String[]{"%2F", "%2f", "%2E", "%2e", "%25", "%3B", "%5C", "%00", "%0A", "%0d"}) {
            assertThat(RequestFirewall.checkPath("/kms/v1/a" + encoded + "b")).as(encoded)
                    .isSameAs(RequestFirewall.ENCODED);
        }
    }
}
