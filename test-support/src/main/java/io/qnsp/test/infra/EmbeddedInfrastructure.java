package io.qnsp.test.infra;

import org.springframework.test.context.ContextCustomizerFactories;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Points a Spring test context at real PostgreSQL and Redis servers: a database of its own on the shared
 * PostgreSQL, and a key prefix of its own on the shared Redis. Tests using it never see each other's data.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(InfrastructureContextCustomizerFactory.class)
public @interface EmbeddedInfrastructure {
}
