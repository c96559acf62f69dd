package io.minirpc;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The call a server is serving: its service, method, attachments, peer and deadline. {@link
 * ServerInterceptor}s see it before the call runs; the service's code finds it with {@link
 * #current()} on the thread that runs the method.
 *
 * <pre>{@code
 * public User getUser(long id) {
 *   ServerCallContext call = ServerCallContext.current();
 *   String tenant = call.attachments().get("tenant");
 *   // A call made from here to another service gets at most call.timeRemaining().
 *   return users.lookUp(tenant, id);
 * }
 * }</pre>
 *
 * <p>A minirpc client called from inside a service method gives each of its calls (blocking or
 * asynchronous) the smaller of its own timeout and the time left of the call being served, so that
 * a chain of calls never outlives the first caller's patience.
 */
public final class ServerCallContext {

  private static final ThreadLocal<ServerCallContext> CURRENT = new ThreadLocal<>();

  private final String service;
  private final String method;
  private final Attachments attachments;
  private final SocketAddress remoteAddress;
  private final long deadlineNanos;

  /**
   * Made by the server for each call it receives; public for servers and tests, not for services.
   *
   * @param deadlineNanos the caller's deadline, in {@link System#nanoTime()} terms
   */
  public ServerCallContext(
      String service,
      String method,
      Attachments attachments,
      SocketAddress remoteAddress,
      long deadlineNanos) {
    this.service = Objects.requireNonNull(service, "service");
    this.method = Objects.requireNonNull(method, "method");
    this.attachments = Objects.requireNonNull(attachments, "attachments");
    this.remoteAddress = remoteAddress;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * The call being served on this thread, or {@code null} outside a service method (and in the
   * callbacks of futures, which run on other threads).
   */
  public static ServerCallContext current() {
    return CURRENT.get();
  }

  /** The service key: the service's name, plus {@code :version} when it has one. */
  public String service() {
    return service;
  }

  /** The method's name. */
  public String method() {
    return method;
  }

  public Attachments attachments() {
    return attachments;
  }

  /** The caller's address, or {@code null} if the transport has none. */
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /**
   * When the caller stops waiting, in {@link System#nanoTime()} terms. A call whose caller set no
   * timeout has a deadline centuries away.
   */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** The time left before the caller's deadline; zero or negative once it has passed. */
  public Duration timeRemaining() {
    return Duration.ofNanos(deadlineNanos - System.nanoTime());
  }

  /**
   * Makes this the current call of this thread until the returned scope is closed, which restores
   * the previous one. Used by servers around the service method.
   */
  public Scope open() {
    ServerCallContext previous = CURRENT.get();
    CURRENT.set(this);
    return new Scope(previous);
  }

  /** The time a call is the current one; close it on the thread that opened it. */
  public static final class Scope implements AutoCloseable {

    private final ServerCallContext previous;

    private Scope(ServerCallContext previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  @Override
  public String toString() {
    return "ServerCallContext{" + service + "/" + method + ", " + attachments + "}";
  }
}
