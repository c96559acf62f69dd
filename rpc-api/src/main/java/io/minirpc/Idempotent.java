package io.minirpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a service method as safe to run more than once for one call, so that a caller may retry it
 * on another provider after a failure that leaves unknown whether the first one ran it (UNAVAILABLE
 * after the request was sent, DEADLINE_EXCEEDED). A method without it is retried only when its
 * request certainly reached no server.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}
