package io.minirpc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 for tests of a network that stalls: it forwards bytes both ways between
 * each connection it accepts and a target port, until it is {@link #pause() paused}; then it holds
 * every byte, in both directions, without closing anything, as a cut cable or a hung middlebox
 * would, until it is {@link #resume() resumed}.
 */
public final class StallingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object pauseLock = new Object();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong bytesToTarget = new AtomicLong();
  private boolean paused;
  private volatile boolean closed;

  private StallingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "stalling-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy that forwards to this port on 127.0.0.1. */
  public static StallingProxy to(int targetPort) throws IOException {
    return new StallingProxy(targetPort);
  }

  /** The port to connect to instead of the target's. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The connections accepted so far. */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** The bytes forwarded so far from the connecting side to the target, over all connections. */
  public long bytesToTarget() {
    return bytesToTarget.get();
  }

  /** Stops forwarding: bytes read from either side from now on are held. */
  public void pause() {
    synchronized (pauseLock) {
      paused = true;
    }
  }

  /** Forwards again, the held bytes first. */
  public void resume() {
    synchronized (pauseLock) {
      paused = false;
      pauseLock.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        accepted.incrementAndGet();
        pipe(client, server, bytesToTarget);
        pipe(server, client, new AtomicLong());
      } catch (IOException e) {
        // Closed, or the target refused: the client sees its connection close.
      }
    }
  }

  private void pipe(Socket from, Socket to, AtomicLong forwarded) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                  awaitNotPaused();
                  out.write(buffer, 0, n);
                  out.flush();
                  forwarded.addAndGet(n);
                }
              } catch (IOException | InterruptedException e) {
                // One side closed: close the other below.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "stalling-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private void awaitNotPaused() throws InterruptedException {
    synchronized (pauseLock) {
      while (paused && !closed) {
        pauseLock.wait();
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    resume();
    listener.close();
    sockets.forEach(StallingProxy::closeQuietly);
  }
}
