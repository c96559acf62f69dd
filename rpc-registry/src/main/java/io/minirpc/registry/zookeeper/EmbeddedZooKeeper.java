package io.minirpc.registry.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, standalone ZooKeeper server running inside this JVM on 127.0.0.1, with its data in a
 * temporary directory, for demos and tests.
 *
 * <pre>{@code
 * try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start();
 *     ZooKeeperRegistry registry =
 *         ZooKeeperRegistry.builder().connectString(zooKeeper.connectString()).build()) {
 *   registry.register(ServiceName.of(Echo.class), new Provider("127.0.0.1", 9000, 100));
 * }
 * }</pre>
 *
 * <p>It is built from ZooKeeper's own {@link ZooKeeperServer} and {@link ServerCnxnFactory}, not
 * {@code ZooKeeperServerMain}, so no admin server (Jetty, port 8080) is ever started and no system
 * property is set: two instances in one JVM share nothing. The four-letter-word commands keep
 * ZooKeeper's default whitelist ({@code srvr} only). Container nodes are not cleaned up, since that
 * is also {@code ZooKeeperServerMain}'s job; empty folders stay until the server stops.
 *
 * <p>{@link #close()} stops the server, releases the port and deletes the data directory; it is
 * idempotent. Not for production: there is one server, and its data is deleted on close.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

  private final Path dataDirectory;
  private final FileTxnSnapLog txnLog;
  private final ServerCnxnFactory connections;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedZooKeeper(
      Path dataDirectory, FileTxnSnapLog txnLog, ServerCnxnFactory connections) {
    this.dataDirectory = dataDirectory;
    this.txnLog = txnLog;
    this.connections = connections;
    this.port = connections.getLocalPort();
  }

  /** Starts a server on a free port with the default settings of {@link Builder}. */
  public static EmbeddedZooKeeper start() {
    return builder().start();
  }

  /** A builder for a server on a given port or with other timing settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:port}, for a ZooKeeper or Curator client. */
  public String connectString() {
    return "127.0.0.1:" + port;
  }

  /** The port the server listens on, also when it was started on port 0. */
  public int port() {
    return port;
  }

  /** The temporary directory holding the snapshots and transaction logs; deleted on close. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Stops the server, releases its port and deletes its data directory; does nothing twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Closes the listening socket and every connection, then shuts the ZooKeeperServer down.
    connections.shutdown();
    try {
      connections.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      txnLog.close();
    } catch (IOException e) {
      log.warn("Could not close ZooKeeper's transaction log in {}", dataDirectory, e);
    }
    deleteRecursively(dataDirectory);
    log.info("Embedded ZooKeeper on port {} stopped", port);
  }

  @Override
  public String toString() {
    return "EmbeddedZooKeeper{" + connectString() + (closed.get() ? ", closed}" : "}");
  }

  private static void deleteRecursively(Path directory) {
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // Already gone: what close wants.
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete ZooKeeper data directory " + directory, e);
    }
  }

  /** Settings of an {@link EmbeddedZooKeeper}; {@link #start()} starts it. */
  public static final class Builder {

    private int port;
    private Duration tickTime = Duration.ofMillis(500);
    private int maxClientConnections = 100;

    private Builder() {}

    /** The port to listen on, on 127.0.0.1; 0, the default, picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * ZooKeeper's tick, 500 ms by default. Sessions may last from two ticks to the larger of 20
     * ticks and 60 seconds, so the short default lets tests use session timeouts of a second.
     */
    public Builder tickTime(Duration tickTime) {
      Objects.requireNonNull(tickTime, "tickTime");
      if (tickTime.isNegative() || tickTime.isZero() || tickTime.toMillis() > 60_000) {
        throw new IllegalArgumentException(
            "tickTime must be within 1 ms and 60 s: " + tickTime.toMillis() + " ms");
      }
      this.tickTime = tickTime;
      return this;
    }

    /** How many connections one client address may hold; 100 by default. */
    public Builder maxClientConnections(int maxClientConnections) {
      if (maxClientConnections < 1) {
        throw new IllegalArgumentException(
            "maxClientConnections must be positive: " + maxClientConnections);
      }
      this.maxClientConnections = maxClientConnections;
      return this;
    }

    /**
     * Starts the server; it accepts clients when this returns.
     *
     * @throws UncheckedIOException if the port is taken or the data directory cannot be made
     */
    public EmbeddedZooKeeper start() {
      Path dataDirectory;
      try {
        dataDirectory = Files.createTempDirectory("minirpc-zookeeper-");
      } catch (IOException e) {
        throw new UncheckedIOException("could not create a ZooKeeper data directory", e);
      }
      FileTxnSnapLog txnLog = null;
      ServerCnxnFactory connections = null;
      try {
        txnLog =
            new FileTxnSnapLog(
                dataDirectory.resolve("log").toFile(), dataDirectory.resolve("snapshot").toFile());
        int tick = (int) tickTime.toMillis();
        ZooKeeperServer server =
            new ZooKeeperServer(
                txnLog,
                tick,
                2 * tick,
                Math.max(20 * tick, 60_000),
                -1,
                new ZKDatabase(txnLog),
                "");
        connections =
            ServerCnxnFactory.createFactory(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                maxClientConnections);
        connections.startup(server);
        EmbeddedZooKeeper zooKeeper = new EmbeddedZooKeeper(dataDirectory, txnLog, connections);
        log.info(
            "Embedded ZooKeeper started on {} in {}", zooKeeper.connectString(), dataDirectory);
        return zooKeeper;
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (connections != null) {
          connections.shutdown();
        }
        if (txnLog != null) {
          try {
            txnLog.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        try {
          deleteRecursively(dataDirectory);
        } catch (UncheckedIOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new UncheckedIOException(
            "could not start ZooKeeper on 127.0.0.1:" + port,
            e instanceof IOException io ? io : new IOException(e));
      }
    }
  }
}
