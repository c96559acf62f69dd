package io.minirpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field or a constructor (or {@code @Bean} method) parameter of an {@link
 * io.minirpc.RpcService} interface type to be given a stub of the application's {@code RpcClient}.
 *
 * <pre>{@code
 * @Service
 * class Checkout {
 *   @RpcReference private UserService users;                   // a field
 *
 *   private final GreetingService greetings;
 *
 *   Checkout(@RpcReference(timeout = "500ms") GreetingService greetings) { // a parameter
 *     this.greetings = greetings;
 *   }
 * }
 * }</pre>
 *
 * <p>References of the same interface with the same options share one stub. No bean of the
 * interface's type is needed or looked for: a reference is always a remote stub, also in an
 * application that exports the service itself.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface RpcReference {

  /**
   * The timeout of the stub's calls, as Spring Boot writes durations ({@code 500ms}, {@code 2s},
   * {@code PT2S}); when empty, the method's {@code @CallTimeout}, else {@code
   * minirpc.client.timeout}.
   */
  String timeout() default "";
}
