package io.minirpc.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.minirpc.testing.Await;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page as a browser draws it: a dashboard of two real providers is loaded in headless Chromium
 * by {@code dashboard-screenshot.sh} (the script users run on their own dashboard), whose rendered
 * DOM must list both providers SERVING and show greet's calls growing while a caller calls; then a
 * screenshot is taken into {@code target/dashboard-screenshot.png}.
 *
 * <p>Needs Chromium ({@code apt-get install chromium}; {@code .ci/run} installs it). Without it the
 * test fails, as {@code ChartScreenshotTest} does, so that CI can never pass it by not running it;
 * {@code -DskipBrowserTests} skips it.
 */
class DashboardBrowserTest {

  private static final int WIDTH = 1280;
  private static final int HEIGHT = 900;

  /** Chromium starts in about a second; this only keeps a hung browser from hanging the build. */
  private static final long DEADLINE_SECONDS = 90;

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The colour of dashboard.css's SERVING badge. */
  private static final int SERVING_GREEN = 0x2e8540;

  private static final String GREET_ROW = "server/" + Cluster.GREETING + "/greet";

  @TempDir Path dir;

  @Test
  void pageListsBothProvidersAndItsNumbersMoveWhileCallsAreMade() throws Exception {
    assumeFalse(
        Boolean.parseBoolean(System.getProperty("skipBrowserTests", "false")),
        "-DskipBrowserTests: the dashboard is not loaded in Chromium");
    try (Cluster cluster = new Cluster(builder -> builder.sampleInterval(Duration.ofMillis(500)))) {
      for (int i = 0; i < 20; i++) {
        cluster.greetings.greet("caller " + i);
      }
      Await.until(
          WAIT,
          "20 calls of greet recorded",
          () -> cluster.serverMethod(Cluster.GREETING, "greet").path("calls").asLong() == 20);

      String before = run("--dump-dom", cluster.url("/"));

      for (int provider = 0; provider < 2; provider++) {
        assertThat(before)
            .as("the rendered page lists provider %s as SERVING", cluster.address(provider))
            .contains("data-address=\"" + cluster.address(provider) + "\" data-state=\"SERVING\"");
      }
      assertThat(greetRow(before).calls()).isEqualTo(20);

      AtomicBoolean calling = new AtomicBoolean(true);
      Thread caller =
          new Thread(
              () -> {
                while (calling.get()) {
                  cluster.greetings.greet("background caller");
                }
              },
              "dashboard-test-caller");
      caller.start();
      try {
        Await.until(
            WAIT,
            "greet's calls per second above 0",
            () ->
                cluster.serverMethod(Cluster.GREETING, "greet").path("callsPerSecond").asDouble()
                    > 0);

        String during = run("--dump-dom", cluster.url("/"));

        GreetRow row = greetRow(during);
        assertThat(row.calls()).as("greet's calls on the page").isGreaterThan(20);
        assertThat(row.callsPerSecond()).as("greet's calls/s on the page").isPositive();

        Path png = Path.of(System.getProperty("basedir", ""), "target", "dashboard-screenshot.png");
        Files.createDirectories(png.getParent());
        run(cluster.url("/"), png.toString(), WIDTH + "," + HEIGHT);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG that javax.imageio decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        // Two SERVING badges: a few hundred pixels of their green each.
        assertThat(pixelsOf(image, SERVING_GREEN)).as("pixels of SERVING green").isGreaterThan(400);
      } finally {
        calling.set(false);
        caller.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
  }

  /** Greet's row of the calls table as the browser rendered it. */
  private record GreetRow(long calls, double callsPerSecond) {}

  private static GreetRow greetRow(String dom) {
    Matcher matcher =
        Pattern.compile(
                "<tr class=\"method\" data-key=\""
                    + Pattern.quote(GREET_ROW)
                    + "\">.*?<td class=\"num calls\">(\\d+)</td>"
                    + "<td class=\"num calls-per-second\">([0-9.]+)</td>")
            .matcher(dom);
    if (!matcher.find()) {
      fail("no row %s in the rendered page:%n%s", GREET_ROW, dom);
    }
    return new GreetRow(Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)));
  }

  private static int pixelsOf(BufferedImage image, int rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
    }
    return count;
  }

  /** Runs the script, returning what it printed; fails with its output if it fails or hangs. */
  private String run(String... arguments) throws IOException, InterruptedException {
    // Surefire runs in the module's directory and says so in basedir; an IDE may not.
    Path script = Path.of(System.getProperty("basedir", "")).resolve("dashboard-screenshot.sh");
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
      // The browser is the script's child: killing the script alone would leave it running.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      fail("dashboard-screenshot.sh took over %d s; its errors:%n%s", DEADLINE_SECONDS, read(err));
    }
    int exit = process.exitValue();
    if (exit != 0) {
      fail(
          "dashboard-screenshot.sh exited %d%s; its errors:%n%s",
          exit,
          exit == 3
              ? " (no Chromium: apt-get install chromium as root, as .ci/run does, or skip this"
                  + " test with -DskipBrowserTests)"
              : "",
          read(err));
    }
    return read(out);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
