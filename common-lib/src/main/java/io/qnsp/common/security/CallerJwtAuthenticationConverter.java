package io.qnsp.common.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated JWT into an authentication carrying its {@link Caller}, with {@code SCOPE_x} and {@code ROLE_x}
 * authorities so Spring Security's own expressions work as well.
 */
final class CallerJwtAuthenticationConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Caller caller = Callers.fromJwt(jwt);
        List<GrantedAuthority> authorities = new ArrayList<>();
        caller.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        caller.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        return new CallerJwtAuthentication(jwt, authorities, caller);
    }

    static final class CallerJwtAuthentication extends JwtAuthenticationToken implements CallerAuthentication {

        private final transient Caller caller;

        CallerJwtAuthentication(Jwt jwt, List<GrantedAuthority> authorities, Caller caller) {
            super(jwt, authorities, caller.principal());
            this.caller = caller;
        }

        @Override
        public Caller caller() {
            return caller;
        }
    }
}
