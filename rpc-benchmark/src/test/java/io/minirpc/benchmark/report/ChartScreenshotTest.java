package io.minirpc.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart page as a person sees it: {@link ChartPage}'s HTML of a hand-made run is screenshotted
 * in headless Chromium by {@code chart-screenshot.sh} (the script users run on their own {@code
 * chart.html}), and the bars are found and measured in the PNG's pixels. ChartPageTest checks the
 * markup; this checks that a browser draws it as intended.
 *
 * <p>Needs Chromium ({@code apt-get install chromium}; {@code .ci/run} installs it). Without it the
 * test fails, so that CI can never pass it by not running it; {@code -DskipBrowserTests} skips it.
 */
class ChartScreenshotTest {

  private static final int WIDTH = 1280;
  private static final int HEIGHT = 800;

  /** Chromium starts in about a second; this only keeps a hung browser from hanging the build. */
  private static final long DEADLINE_SECONDS = 90;

  /** ChartPage's bar width in pixels, for the longest bar of each chart. */
  private static final int BAR_WIDTH = 230;

  // ChartPage's colours of the first three backends in the order given to it.
  private static final int CEILING = 0x1f77b4;
  private static final int KRYO = 0x2ca02c;
  private static final int GRPC = 0x17becf;

  /**
   * One group (getUser, 32 callers), so that each colour is one bar in each of its two charts.
   * Throughput: the async ceiling is the longest bar; each other row is a simple fraction of it.
   * p99: grpc-direct's is the longest.
   */
  private static final List<Measurement> ROWS =
      List.of(
          row("netty-ceiling", "blocking", 100_000, 400),
          row("minirpc-kryo", "blocking", 50_000, 800),
          row("grpc-direct", "blocking", 25_000, 1_600),
          row("netty-ceiling", "async", 200_000, 200),
          row("minirpc-kryo", "async", 100_000, 400));

  @TempDir Path dir;

  @Test
  void screenshotShowsBarsInProportionToTheFigures() throws Exception {
    assumeFalse(
        Boolean.parseBoolean(System.getProperty("skipBrowserTests", "false")),
        "-DskipBrowserTests: the chart page is not screenshotted in Chromium");
    Path html = dir.resolve("chart.html");
    Files.writeString(
        html,
        new ChartPage(
                ROWS,
                List.of("netty-ceiling", "minirpc-kryo", "grpc-direct"),
                "ChartScreenshotTest",
                "hand-made figures")
            .toHtml());
    Path png = dir.resolve("chart.png");

    screenshot(html, png);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG that javax.imageio decodes").isNotNull();
    assertThat(image.getWidth()).isEqualTo(WIDTH);
    assertThat(image.getHeight()).isEqualTo(HEIGHT);

    Bars ceiling = Bars.of(image, CEILING);
    Bars kryo = Bars.of(image, KRYO);
    Bars grpc = Bars.of(image, GRPC);
    Bars ceilingAsync = Bars.of(image, async(CEILING));
    Bars kryoAsync = Bars.of(image, async(KRYO));
    List<Bars> all = List.of(ceiling, kryo, grpc, ceilingAsync, kryoAsync);

    // Every bar of a chart starts at the same x, after the labels; the p99 chart is to the right.
    for (Bars bars : all) {
      assertThat(bars.throughput.x()).isEqualTo(ceiling.throughput.x());
      assertThat(bars.p99.x()).isEqualTo(ceiling.p99.x());
    }
    assertThat(ceiling.p99.x()).isGreaterThan(ceiling.throughput.x() + BAR_WIDTH);

    // The ceiling's bars are the longest of their mode.
    assertThat(ceilingAsync.throughput.width()).isGreaterThan(kryoAsync.throughput.width());
    assertThat(ceiling.throughput.width())
        .isGreaterThan(kryo.throughput.width())
        .isGreaterThan(grpc.throughput.width());
    // The longest bar is drawn at full width, the others at their fraction of it (to a pixel for
    // ChartPage's rounding, one more for the browser's).
    assertThat(ceilingAsync.throughput.width()).isCloseTo(BAR_WIDTH, within(2));
    assertThat(ceiling.throughput.width()).isCloseTo(BAR_WIDTH / 2, within(2));
    assertThat(kryoAsync.throughput.width()).isCloseTo(BAR_WIDTH / 2, within(2));
    // 0.5x of the blocking ceiling: half its bar; 0.25x: a quarter.
    assertThat(kryo.throughput.width() / (double) ceiling.throughput.width())
        .isCloseTo(0.5, within(0.03));
    assertThat(grpc.throughput.width() / (double) ceiling.throughput.width())
        .isCloseTo(0.25, within(0.03));

    assertThat(grpc.p99.width()).isCloseTo(BAR_WIDTH, within(2));
    assertThat(kryo.p99.width()).isCloseTo(BAR_WIDTH / 2, within(2));
    assertThat(ceiling.p99.width()).isCloseTo(BAR_WIDTH / 4, within(2));
    assertThat(ceilingAsync.p99.width()).isCloseTo(BAR_WIDTH / 8, within(2));
    assertThat(kryoAsync.p99.width()).isCloseTo(BAR_WIDTH / 4, within(2));

    // One bar per row and chart, one below the other in the rows' order.
    assertThat(all.stream().map(b -> b.throughput.y()))
        .as("y of each throughput bar")
        .doesNotHaveDuplicates();
    assertThat(all)
        .as("bars from top to bottom in the rows' order")
        .isSortedAccordingTo(Comparator.comparingInt((Bars b) -> b.throughput.y()));
  }

  /** Runs the script in a child process, failing with its output if it writes no PNG in time. */
  private void screenshot(Path html, Path png) throws IOException, InterruptedException {
    // Surefire runs in the module's directory and says so in basedir; an IDE may not.
    Path script = Path.of(System.getProperty("basedir", "")).resolve("chart-screenshot.sh");
    Path log = dir.resolve("chart-screenshot.log");
    Process process =
        new ProcessBuilder(
                "bash", script.toString(), html.toString(), png.toString(), WIDTH + "," + HEIGHT)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
      // The browser is the script's child: killing the script alone would leave it running.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      fail("chart-screenshot.sh took over %d s; its output:%n%s", DEADLINE_SECONDS, read(log));
    }
    int exit = process.exitValue();
    if (exit != 0) {
      fail(
          "chart-screenshot.sh exited %d%s; its output:%n%s",
          exit,
          exit == 3
              ? " (no Chromium: apt-get install chromium as root, as .ci/run does, or skip this"
                  + " test with -DskipBrowserTests)"
              : "",
          read(log));
    }
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** A colour drawn with ChartPage's {@code fill-opacity="0.55"} of async rows, on white. */
  private static int async(int rgb) {
    int blended = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int c = (rgb >> shift) & 0xff;
      blended |= (int) Math.round(255 - 0.55 * (255 - c)) << shift;
    }
    return blended;
  }

  private static Measurement row(String backend, String mode, double callsPerSecond, double p99) {
    return new Measurement(
        backend,
        mode,
        "getUser",
        32,
        callsPerSecond,
        callsPerSecond,
        p99 / 2,
        p99 / 2,
        p99,
        p99 * 2,
        100_000,
        273,
        1_000,
        1_200,
        null);
  }

  /** A rectangle of one colour in the screenshot. */
  record Rect(int x, int y, int width, int height) {}

  /** The two bars of one colour: its row's throughput bar and its p99 bar, left to right. */
  static final class Bars {
    final Rect throughput;
    final Rect p99;

    private Bars(Rect throughput, Rect p99) {
      this.throughput = throughput;
      this.p99 = p99;
    }

    /**
     * Finds the rectangles of exactly this colour (give or take the browser's rounding of an
     * opacity): each pixel row's runs of it, stacked while they keep their x and width. Text is
     * drawn in other colours, and a bar's antialiased top and bottom rows fall outside the
     * tolerance, which only shortens its height.
     */
    static Bars of(BufferedImage image, int rgb) {
      List<Rect> rects = new ArrayList<>();
      for (int y = 0; y < image.getHeight(); y++) {
        int x = 0;
        while (x < image.getWidth()) {
          if (!matches(image.getRGB(x, y), rgb)) {
            x++;
            continue;
          }
          int start = x;
          while (x < image.getWidth() && matches(image.getRGB(x, y), rgb)) {
            x++;
          }
          extendOrAdd(rects, start, y, x - start);
        }
      }
      String colour = String.format("#%06x", rgb);
      assertThat(rects)
          .as("rectangles of %s: one throughput bar and one p99 bar", colour)
          .hasSize(2);
      rects.sort(Comparator.comparingInt(Rect::x));
      for (Rect rect : rects) {
        // ChartPage draws bars ROW - 6 = 16 px high; 14 if both edges are blended.
        assertThat(rect.height()).as("height of a %s bar", colour).isBetween(14, 16);
      }
      return new Bars(rects.get(0), rects.get(1));
    }

    private static void extendOrAdd(List<Rect> rects, int x, int y, int width) {
      for (int i = 0; i < rects.size(); i++) {
        Rect r = rects.get(i);
        if (r.x() == x && r.width() == width && r.y() + r.height() == y) {
          rects.set(i, new Rect(x, r.y(), width, r.height() + 1));
          return;
        }
      }
      rects.add(new Rect(x, y, width, 1));
    }

    private static boolean matches(int argb, int rgb) {
      for (int shift = 16; shift >= 0; shift -= 8) {
        if (Math.abs(((argb >> shift) & 0xff) - ((rgb >> shift) & 0xff)) > 3) {
          return false;
        }
      }
      return true;
    }
  }
}
