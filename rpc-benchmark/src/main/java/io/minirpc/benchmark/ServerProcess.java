package io.minirpc.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A backend's server in a JVM of its own ({@link BenchmarkServerMain}), started from this JVM's
 * class path so that client and server never share a heap, a JIT or a garbage collector.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.start(Backend.GRPC_DIRECT, null)) {
 *   UserCalls calls = Backend.GRPC_DIRECT.connect("127.0.0.1", server.port());
 * }
 * }</pre>
 */
public final class ServerProcess implements RunningServer {

  /** Heap of the server JVM: fixed, so that no backend pays for growing it during a run. */
  static final List<String> SERVER_JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g");

  /**
   * System property with more options for the server's JVM, separated by spaces: for example {@code
   * -XX:StartFlightRecording=filename=server.jfr} to profile it.
   */
  public static final String SERVER_JVM_ARGS = "minirpc.benchmark.serverJvmArgs";

  private static final long READY_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the server and waits for its {@code ready <port>} line.
   *
   * @param log where the server's standard error goes (appended), or {@code null} for this JVM's
   * @throws IllegalStateException if the server exits or stays silent for a minute
   */
  public static ServerProcess start(Backend backend, Path log) {
    return start(backend, log, List.of());
  }

  /**
   * Starts the server with more options for its JVM (after those of {@value #SERVER_JVM_ARGS}), and
   * waits for its {@code ready <port>} line.
   */
  public static ServerProcess start(Backend backend, Path log, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SERVER_JVM_OPTIONS);
    String extra = System.getProperty(SERVER_JVM_ARGS, "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchmarkServerMain.class.getName());
    command.add(backend.id());
    ProcessBuilder builder = new ProcessBuilder(command);
    if (log == null) {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the server of " + backend.id(), e);
    }
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> awaitReady(out));
    try {
      int port = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new ServerProcess(process, port);
    } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "the server of "
              + backend.id()
              + " did not get ready"
              + (log == null ? "" : " (see " + log + ")")
              + ": "
              + cause,
          cause);
    }
  }

  private static int awaitReady(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(BenchmarkServerMain.READY)) {
          return Integer.parseInt(line.substring(BenchmarkServerMain.READY.length()).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("the server process ended before it was ready");
  }

  @Override
  public int port() {
    return port;
  }

  /** Whether the server's JVM is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Closes the server's standard input, which stops it, and kills it if it has not exited within
   * ten seconds.
   */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
