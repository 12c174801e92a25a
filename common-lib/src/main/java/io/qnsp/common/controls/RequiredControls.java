package io.qnsp.common.controls;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The controls an endpoint requires, declared once on its controller method and enforced by common-lib
 * (the API reference's "Required Controls" and "Billable Operation"). Attributes left at their defaults are off.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiredControls {

    /** entitlements: scopes the caller must hold (all of them). */
    String[] scopes() default {};

    /** entitlements: the tenant add-on the endpoint belongs to (e.g. {@code byohsm}); empty for none. */
    String addOn() default "";

    /** admin: the caller must have the admin role. */
    boolean admin() default false;

    /** admin: further roles the caller must hold (all of them), e.g. {@code platform_admin}. */
    String[] roles() default {};

    /** quota: the quota resource counted per tenant (e.g. {@code kms.keys}); empty for none. */
    String quota() default "";

    /** audit: the action recorded for every call, success or failure (e.g. {@code kms.key.created}). */
    String audit() default "";

    /** audit: the type of resource acted upon (e.g. {@code key}). */
    String resourceType() default "";

    /**
     * audit: a SpEL expression giving the resource id, over the method's arguments by name, {@code #result}
     * (the returned body) and beans ({@code @name}); evaluated before the call unless it refers to {@code #result}.
     */
    String resourceId() default "";

    /**
     * audit: a SpEL expression giving further non-secret facts for the audit event's details, as a map (e.g.
     * {@code {'reason': #request?.reason()}}), over the method's arguments by name, {@code #result} (the returned body,
     * null for a failed call) and beans; entries whose value is null are left out, the others are written as text.
     */
    String auditDetails() default "";

    /** metering: the billable operation name published as a usage event on success. */
    String metering() default "";
}
