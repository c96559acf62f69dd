package io.minirpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default deadline of one service method, overriding the client's default. A timeout given in
 * {@link CallOptions} for a stub overrides this one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CallTimeout {

  /** The time a call may take, in milliseconds; must be positive. */
  long millis();
}
