package io.minirpc.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
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

  /** Far longer than an idle server takes to answer; only keeps a hung server from hanging us. */
  private static final long ANSWER_TIMEOUT_SECONDS = 10;

  private final Process process;
  private final int port;
  private final ServerOutput output;
  private long requests;

  private ServerProcess(Process process, int port, ServerOutput output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /**
   * Starts the server, waits for its {@code ready <port>} line, and asks it once for its {@link
   * #allocatedBytes()}.
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
    ServerOutput output = ServerOutput.readFrom(process, backend);
    try {
      int port = output.ready().get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      ServerProcess server = new ServerProcess(process, port, output);
      // The server's first answer loads and links the code that reads, measures and answers (some
      // 160 KB of allocation): done now, it is not charged to the first measured iteration.
      server.allocatedBytes();
      return server;
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

  /**
   * The bytes the server's JVM has allocated on the heap since it started, all its threads
   * included: asks it ({@code alloc <id>}) and waits for its answer. Asking costs the server a few
   * hundred bytes, which the next figure includes.
   *
   * @throws IllegalStateException if the server has ended, or has not answered within ten seconds
   */
  public synchronized long allocatedBytes() {
    long id = ++requests;
    try {
      OutputStream in = process.getOutputStream();
      in.write((BenchmarkServerMain.ALLOC + id + "\n").getBytes(StandardCharsets.US_ASCII));
      in.flush();
    } catch (IOException e) {
      throw new IllegalStateException("could not ask the server for its allocation: " + e, e);
    }
    try {
      return output.allocatedBytes(id, TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server's allocation", e);
    }
  }

  /**
   * The server's standard output, read line by line by one daemon thread for the process's life:
   * the port of its {@code ready} line, and its answers to {@link #allocatedBytes()}. As the only
   * reader of the pipe it never competes with another for a line, and it keeps the pipe from
   * filling up whatever the server prints. Lines of any other kind are dropped.
   */
  private static final class ServerOutput implements Runnable {

    /** Put in the queue when the output ends (an answer is never empty): no answer will come. */
    private static final String END = "";

    private final BufferedReader lines;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private ServerOutput(Process process) {
      this.lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ServerOutput readFrom(Process process, Backend backend) {
      ServerOutput output = new ServerOutput(process);
      Thread reader = new Thread(output, "server-output-" + backend.id() + "-" + process.pid());
      reader.setDaemon(true);
      reader.start();
      return output;
    }

    CompletableFuture<Integer> ready() {
      return ready;
    }

    @Override
    public void run() {
      try {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.startsWith(BenchmarkServerMain.READY)) {
            ready.complete(
                Integer.parseInt(line.substring(BenchmarkServerMain.READY.length()).trim()));
          } else if (line.startsWith(BenchmarkServerMain.ALLOCATED)) {
            answers.add(line);
          }
        }
        ready.completeExceptionally(
            new IllegalStateException("the server process ended before it was ready"));
      } catch (IOException | RuntimeException e) {
        ready.completeExceptionally(e);
      } finally {
        answers.add(END);
      }
    }

    /** The answer to request {@code id}, skipping those to earlier requests that timed out. */
    long allocatedBytes(long id, long timeoutNanos) throws InterruptedException {
      long deadline = System.nanoTime() + timeoutNanos;
      while (true) {
        String line = answers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IllegalStateException(
              "the server did not tell its allocation within "
                  + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
                  + " s");
        }
        if (line.isEmpty()) {
          // Later callers must see the end too.
          answers.add(END);
          throw new IllegalStateException("the server process ended before it told its allocation");
        }
        Answer answer = Answer.parse(line);
        if (answer.id() == id) {
          return answer.bytes();
        }
      }
    }
  }

  /** A line {@code allocated <id> <bytes>}. */
  record Answer(long id, long bytes) {

    /**
     * The answer of this line.
     *
     * @throws IllegalStateException if it is not {@code allocated <id> <bytes>}
     */
    static Answer parse(String line) {
      if (line.startsWith(BenchmarkServerMain.ALLOCATED)) {
        String[] words = line.substring(BenchmarkServerMain.ALLOCATED.length()).trim().split(" ");
        if (words.length == 2) {
          try {
            return new Answer(Long.parseLong(words[0]), Long.parseLong(words[1]));
          } catch (NumberFormatException e) {
            throw notAnAnswer(line, e);
          }
        }
      }
      throw notAnAnswer(line, null);
    }

    private static IllegalStateException notAnAnswer(String line, Throwable cause) {
      return new IllegalStateException(
          "the server's answer is not \"allocated <id> <bytes>\": " + line, cause);
    }
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
