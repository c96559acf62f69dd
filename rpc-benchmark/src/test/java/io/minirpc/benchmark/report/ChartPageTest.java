package io.minirpc.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartPageTest {

  private static final List<Measurement> ROWS =
      List.of(
          new Measurement(
              "netty-ceiling",
              "blocking",
              "getUser",
              32,
              100_000,
              100_500,
              320,
              300,
              900,
              1_500,
              200_000,
              273,
              40,
              25,
              null),
          new Measurement(
              "minirpc-kryo",
              "blocking",
              "getUser",
              32,
              40_000,
              40_100,
              800,
              700,
              2_000,
              4_000,
              90_000,
              273,
              3_500,
              1_250,
              null),
          Measurement.failed(
              "grpc-direct", "blocking", "getUser", 32, 262, "IllegalStateException: down"),
          new Measurement(
              "minirpc-kryo",
              "async",
              "getUser",
              32,
              50_000,
              52_000,
              600,
              500,
              3_000,
              6_000,
              100_000,
              273,
              1_900,
              1_300,
              null));

  @Test
  void pageDrawsBarsInlineAndFetchesNothing() {
    String html =
        new ChartPage(
                ROWS, List.of("netty-ceiling", "minirpc-kryo", "grpc-direct"), "title", "notes")
            .toHtml();

    assertThat(html).contains("<h2>getUser, 32 callers</h2>", "<svg", "<rect", "40,000", "failed");
    assertThat(html).doesNotContain("<script", "src=", "href=");
    // An asynchronous row is its own bar, in its backend's colour, lighter.
    assertThat(html).contains(">minirpc-kryo async</text>", "fill=\"#2ca02c\" fill-opacity=");
    // Throughput as a fraction of the ceiling's, where the run has a ceiling row to compare with.
    assertThat(html)
        .contains(">40,000 (0.40x)</text>", ">100,000 (1.00x)</text>", ">50,000</text>");
    assertThat(html).contains("<td class=\"n\">40,000</td><td class=\"n\">0.40</td>");
    assertThat(html)
        .contains("<th>alloc B/call</th><th>server alloc B/call</th>")
        .contains("<td class=\"n\">3,500</td><td class=\"n\">1,250</td>");
  }

  @Test
  void tableShowsFiguresAndFailures() {
    String markdown = new ResultTable(ROWS).toMarkdown();

    assertThat(markdown)
        .contains("| vs ceiling |")
        .contains(
            "| minirpc-kryo | getUser | 32 | 40,000 | 0.40 | 700 | 2,000 | 4,000 | 273 | 3,500 |"
                + " 1,250 |")
        .contains("| grpc-direct | getUser | 32 | failed |  |  |  |  | 262 |  |  |")
        // No asynchronous ceiling row in this run: nothing to compare the async row with.
        .contains(
            "| minirpc-kryo async | getUser | 32 | 50,000 | - | 500 | 3,000 | 6,000 | 273 | 1,900"
                + " | 1,300 |");
  }
}
