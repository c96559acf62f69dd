package io.minirpc.registry.zookeeper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link WorkProviderMain} in a JVM of its own, started from this JVM's class path, so that a
 * test can kill it for real. Its output is copied to this JVM's, each line prefixed with its name;
 * the slow calls it announces are recorded with the time their line arrived.
 *
 * <p>{@link #close()} kills it if it is still alive: use it in try-with-resources, so that no test
 * failure leaves a provider behind. Should this JVM die first, the provider exits when its standard
 * input ends.
 */
final class ProviderProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final Map<String, Long> started = new ConcurrentHashMap<>();

  private ProviderProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts a provider registered in this ZooKeeper with this session timeout; does not wait for it
   * (see {@link #awaitReady}), so that several can start at once.
   */
  static ProviderProcess start(String name, String connectString, Duration sessionTimeout) {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // A small, quick-starting JVM: the provider does little work.
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            WorkProviderMain.class.getName(),
            name,
            connectString,
            Long.toString(sessionTimeout.toMillis()));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start provider " + name, e);
    }
    ProviderProcess provider = new ProviderProcess(name, process);
    Thread reader = new Thread(provider::readOutput, "provider-" + name + "-output");
    reader.setDaemon(true);
    reader.start();
    return provider;
  }

  private void readOutput() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        long now = System.nanoTime();
        if (line.startsWith(SleepingWork.STARTED)) {
          started.put(line.substring(SleepingWork.STARTED.length()), now);
        } else if (line.startsWith(WorkProviderMain.READY)) {
          ready.complete(Integer.parseInt(line.substring(WorkProviderMain.READY.length())));
        }
        System.out.println("[provider " + name + "] " + line);
      }
    } catch (IOException | RuntimeException e) {
      ready.completeExceptionally(e);
    } finally {
      ready.completeExceptionally(
          new IllegalStateException("provider " + name + " ended before it was ready"));
    }
  }

  /** Waits for the provider's ready line; returns its port. */
  int awaitReady(Duration timeout) throws InterruptedException {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "provider " + name + " was not ready within " + timeout.toMillis() + " ms", e);
    }
  }

  String name() {
    return name;
  }

  /** The address callers reach it at; once ready. */
  String address() {
    return "127.0.0.1:" + ready.join();
  }

  /** When the provider announced that the slow call of this id started; null if it did not. */
  Long startedAt(String id) {
    return started.get(id);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the provider with {@link Process#destroyForcibly()}, SIGKILL on Linux, and returns its
   * exit code once it is dead.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("provider " + name + " still runs after SIGKILL");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
