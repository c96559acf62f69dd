package io.minirpc.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The jar's entry point: its arguments, and a dashboard of another process's ZooKeeper. */
class DashboardMainTest {

  @Test
  void servesTheProvidersOfTheGivenZooKeeperWithAnEmptyCallsTable() throws Exception {
    try (Cluster cluster = new Cluster();
        Dashboard dashboard =
            DashboardMain.start("--zookeeper", cluster.zooKeeper.connectString(), "--port", "0")) {
      String base = "http://127.0.0.1:" + dashboard.port();
      ObjectMapper json = new ObjectMapper();

      JsonNode services = json.readTree(Cluster.fetch(base + "/api/services").body());
      JsonNode metrics = json.readTree(Cluster.fetch(base + "/api/metrics").body());

      assertThat(services.path("services").get(0).path("providers"))
          .extracting(p -> p.path("address").asText() + " " + p.path("state").asText())
          .containsExactlyInAnyOrder(
              cluster.address(0) + " SERVING", cluster.address(1) + " SERVING");
      assertThat(metrics.path("recording").asBoolean()).isFalse();
    }
  }

  @Test
  void argumentsAreCheckedBeforeAnythingStarts() {
    assertThatThrownBy(DashboardMain::start).hasMessage("--zookeeper is required");
    assertThatThrownBy(() -> DashboardMain.start("--zookeeper"))
        .hasMessage("--zookeeper needs a value");
    assertThatThrownBy(() -> DashboardMain.start("--zookeeper", "127.0.0.1:1", "--prot", "80"))
        .hasMessage("unknown argument --prot");
    assertThatThrownBy(() -> DashboardMain.start("--zookeeper", "127.0.0.1:1", "--port", "x"))
        .hasMessage("--port must be a number: x");
    assertThatThrownBy(() -> DashboardMain.start("--zookeeper", "127.0.0.1:1", "--port", "70000"))
        .hasMessageContaining("port must be between 0 and 65535");
  }
}
