package io.minirpc.internal.call;

import io.minirpc.Attachments;
import io.minirpc.Deadline;
import io.minirpc.ServerCallContext;
import java.net.SocketAddress;

/**
 * Makes the {@link ServerCallContext} of a call the server received. Only the runtime may: a
 * context made anywhere else would be a forged call, with a deadline, a peer and attachments no
 * caller sent, so {@code ServerCallContext} has no public constructor and hands its own to this
 * class when it is initialized (the JDK's "shared secrets" pattern).
 *
 * <p><b>Not API.</b> The module io.minirpc.api exports this package to io.minirpc.core only.
 */
public final class ServerCallContexts {

  /** How {@code ServerCallContext} makes one; it registers this when its class is initialized. */
  @FunctionalInterface
  public interface Factory {
    ServerCallContext create(
        String service,
        String method,
        Attachments attachments,
        SocketAddress remoteAddress,
        Deadline deadline);
  }

  // No initializer: ServerCallContext's class initializer may set it while this class is being
  // initialized (see create), and an initializer would then overwrite it.
  private static volatile Factory factory;

  private ServerCallContexts() {}

  /**
   * The context of a call received from {@code remoteAddress}.
   *
   * @param deadline the caller's deadline, or {@code null} if it set none
   */
  public static ServerCallContext create(
      String service,
      String method,
      Attachments attachments,
      SocketAddress remoteAddress,
      Deadline deadline) {
    return factory().create(service, method, attachments, remoteAddress, deadline);
  }

  /**
   * Called once, by {@code ServerCallContext}'s class initializer.
   *
   * @throws IllegalStateException if a factory is registered already
   */
  public static synchronized void register(Factory contexts) {
    if (factory != null) {
      throw new IllegalStateException("ServerCallContext's factory is registered already");
    }
    factory = contexts;
  }

  private static Factory factory() {
    Factory registered = factory;
    if (registered == null) {
      initialize(ServerCallContext.class);
      registered = factory;
    }
    return registered;
  }

  private static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
