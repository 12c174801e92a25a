package io.qnsp.storage;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * An object key is one path segment, so a key with slashes arrives percent-encoded ({@code a%2Fb}) and must reach
 * Spring MVC as such: Tomcat passes an encoded slash through undecoded (it rejects it by default), and Spring
 * Security's firewall lets encoded slashes and percent signs pass (the MVC mapping decodes the segment into the
 * key). Encoded periods, backslashes and semicolons stay refused.
 */
@Configuration(proxyBeanMethods = false)
class StorageWebConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    WebSecurityCustomizer encodedSlashesInKeys() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        return web -> web.httpFirewall(firewall);
    }
}
