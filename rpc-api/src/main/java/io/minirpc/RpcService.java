package io.minirpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java interface as a remote service: a server exports implementations of it, a client
 * calls it through a stub.
 *
 * <pre>{@code
 * @RpcService(version = "1")
 * public interface UserService {
 *   User getUser(long id);
 *   CompletableFuture<List<User>> listUsers(int page);
 *   @OneWay void audit(String event);
 * }
 * }</pre>
 *
 * <p>Method names must be unique within a service: overloads are refused when a stub is made or a
 * service exported, because a call is routed by the method's name alone.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcService {

  /** The service's name on the wire and in discovery; the interface's full name when empty. */
  String name() default "";

  /** The service's version; a caller reaches only providers of the same version. */
  String version() default "";
}
