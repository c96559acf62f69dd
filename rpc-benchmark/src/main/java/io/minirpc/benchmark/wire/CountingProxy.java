package io.minirpc.benchmark.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that counts the bytes it forwards each way: what callers send towards the
 * server (up) and what the server sends back (down). Plain blocking sockets, two threads per
 * connection; it measures sizes, never times.
 *
 * <pre>{@code
 * try (CountingProxy proxy = CountingProxy.start(serverPort)) {
 *   UserCalls calls = backend.connect("127.0.0.1", proxy.port());
 *   ...
 *   long sent = proxy.bytesUp();
 * }
 * }</pre>
 */
public final class CountingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final AtomicLong up = new AtomicLong();
  private final AtomicLong down = new AtomicLong();
  private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

  private CountingProxy(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** A proxy on a free loopback port, forwarding to this loopback port. */
  public static CountingProxy start(int targetPort) {
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      ServerSocket listener = new ServerSocket(0, 50, loopback);
      CountingProxy proxy =
          new CountingProxy(listener, new InetSocketAddress(loopback, targetPort));
      Thread acceptor = new Thread(proxy::accept, "counting-proxy-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the counting proxy", e);
    }
  }

  /** The port callers connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Bytes forwarded from callers to the server so far. */
  public long bytesUp() {
    return up.get();
  }

  /** Bytes forwarded from the server to callers so far. */
  public long bytesDown() {
    return down.get();
  }

  /** Closes the listener and every forwarded connection. */
  @Override
  public void close() {
    closeQuietly(listener);
    Socket socket;
    while ((socket = sockets.poll()) != null) {
      closeQuietly(socket);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket caller;
      try {
        caller = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket server = new Socket();
        sockets.add(caller);
        sockets.add(server);
        caller.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        server.connect(target);
        pump(caller, server, up, "up");
        pump(server, caller, down, "down");
      } catch (IOException e) {
        closeQuietly(caller);
      }
    }
  }

  private static void pump(Socket from, Socket to, AtomicLong counter, String direction) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                  // Counted before forwarding: once a caller has its answer, its bytes are counted.
                  counter.addAndGet(n);
                  out.write(buffer, 0, n);
                }
              } catch (IOException e) {
                // The other side closed; closing both ends below tells the peer.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "counting-proxy-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing to do: the proxy is going away.
    }
  }
}
