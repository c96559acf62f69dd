package io.minirpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default timeout of one service method's calls, replacing the client's default. A timeout
 * given in {@link CallOptions} for a stub replaces this one, whether longer or shorter: as in gRPC,
 * the setting of the call wins over the method's default.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CallTimeout {

  /** The time a call may take, in milliseconds; must be positive. */
  long millis();
}
