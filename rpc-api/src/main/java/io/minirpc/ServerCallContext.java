package io.minirpc;

import io.minirpc.internal.call.ServerCallContexts;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * asynchronous) the earlier of its own deadline and the deadline of the call being served, so that
 * a chain of calls never outlives the first caller's patience. The futures such a client returns
 * run their callbacks with the served call current again, so that calls made from a callback
 * inherit it too.
 *
 * <p>Interceptors pass values to the service, and to the interceptors inside them, with {@link
 * #withValue(Key, Object)}: a tracing interceptor puts its span there, say.
 */
public final class ServerCallContext {

  private static final ThreadLocal<ServerCallContext> CURRENT = new ThreadLocal<>();

  private final String service;
  private final String method;
  private final Attachments attachments;
  private final SocketAddress remoteAddress;
  private final Deadline deadline;
  private final Map<Key<?>, Object> values;

  static {
    // Only the runtime makes contexts, through this (see ServerCallContexts): not services.
    ServerCallContexts.register(
        (service, method, attachments, remoteAddress, deadline) ->
            new ServerCallContext(service, method, attachments, remoteAddress, deadline, Map.of()));
  }

  private ServerCallContext(
      String service,
      String method,
      Attachments attachments,
      SocketAddress remoteAddress,
      Deadline deadline,
      Map<Key<?>, Object> values) {
    this.service = Objects.requireNonNull(service, "service");
    this.method = Objects.requireNonNull(method, "method");
    this.attachments = Objects.requireNonNull(attachments, "attachments");
    this.remoteAddress = remoteAddress;
    this.deadline = deadline;
    this.values = values;
  }

  /**
   * The call being served on this thread, or {@code null} outside a service method (and in the
   * callbacks of futures that minirpc did not make).
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

  /** When the caller stops waiting; empty if the caller set no deadline. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * The time left before the caller's deadline; zero or negative once it has passed, and a very
   * long time (of {@link Long#MAX_VALUE} nanoseconds) for a call without a deadline.
   */
  public Duration timeRemaining() {
    return deadline == null ? Duration.ofNanos(Long.MAX_VALUE) : deadline.timeRemaining();
  }

  /** This call with one more attachment, as an interceptor passes it on. */
  public ServerCallContext withAttachment(String key, String value) {
    return new ServerCallContext(
        service, method, attachments.with(key, value), remoteAddress, deadline, values);
  }

  /** The value set for this key by an interceptor, or {@code null}. */
  public <T> T value(Key<T> key) {
    return key.type.cast(values.get(key));
  }

  /** This call with a value for this key, replacing any, as an interceptor passes it on. */
  public <T> ServerCallContext withValue(Key<T> key, T value) {
    Map<Key<?>, Object> copy = new IdentityHashMap<>(values);
    copy.put(key, key.type.cast(Objects.requireNonNull(value, "value")));
    return new ServerCallContext(
        service, method, attachments, remoteAddress, deadline, Map.copyOf(copy));
  }

  /**
   * Makes this the current call of this thread until the returned scope is closed, which restores
   * the previous one. The server does so around the service method, and minirpc's futures around
   * their callbacks; service code may, to carry the call it serves into a thread of its own (as
   * with gRPC's {@code Context.wrap}). Only the server makes contexts, so a call cannot be forged
   * this way.
   */
  public Scope open() {
    ServerCallContext previous = CURRENT.get();
    CURRENT.set(this);
    return new Scope(previous);
  }

  /** A key of values that interceptors attach to a call; compared by identity, like gRPC's. */
  public static final class Key<T> {

    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
      this.name = Objects.requireNonNull(name, "name");
      this.type = Objects.requireNonNull(type, "type");
    }

    /** A new key; keep it in a constant, since another key of the same name is another key. */
    public static <T> Key<T> of(String name, Class<T> type) {
      return new Key<>(name, type);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The time a call is the current one; close it on the thread that opened it. */
  public static final class Scope implements AutoCloseable {

    private final ServerCallContext previous;

    private Scope(ServerCallContext previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      // Set even when null rather than removed: the thread keeps its entry, which the next call's
      // open() would otherwise make anew. A null value holds on to nothing.
      CURRENT.set(previous);
    }
  }

  @Override
  public String toString() {
    return "ServerCallContext{" + service + "/" + method + ", " + attachments + "}";
  }
}
