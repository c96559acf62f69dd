package io.minirpc.example;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo, end to end: starts a provider in a second JVM, calls it from this one, and stops it.
 *
 * <p>Usage: {@code java -jar rpc-example/target/minirpc-example.jar}. Exits 0 when every call went
 * as expected.
 */
public final class DemoMain {

  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    Process provider = startProvider();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8));
      // Bounded, so that a provider that never becomes ready cannot hang the demo.
      String port =
          CompletableFuture.supplyAsync(() -> awaitReady(lines)).get(30, TimeUnit.SECONDS);
      System.out.println("provider: pid " + provider.pid() + ", listening on 127.0.0.1:" + port);
      System.out.println("caller:   pid " + ProcessHandle.current().pid());
      CallerMain.run("127.0.0.1:" + port, System.out);
    } finally {
      provider.destroy();
      if (!provider.waitFor(10, TimeUnit.SECONDS)) {
        provider.destroyForcibly();
      }
    }
    System.out.println("demo finished: the provider process was stopped");
  }

  private static Process startProvider() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command =
        List.of(
            java, "-cp", System.getProperty("java.class.path"), ProviderMain.class.getName(), "0");
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String awaitReady(BufferedReader lines) {
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(ProviderMain.READY)) {
          return line.substring(ProviderMain.READY.length()).trim();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("the provider process ended before it was ready");
  }
}
