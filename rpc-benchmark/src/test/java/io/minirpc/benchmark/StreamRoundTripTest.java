package io.minirpc.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every stream backend of {@link StreamBenchmark} streams the users asked for (no timing). */
class StreamRoundTripTest {

  @Test
  void everyStreamBackendStreamsEveryUser() throws Exception {
    for (Backend backend : UserStreams.BACKENDS) {
      try (RunningServer server = backend.startServer();
          UserStreams streams = UserStreams.connect(backend, "127.0.0.1", server.port())) {
        assertThat(streams.streamUsers(2_000)).as(backend.id()).isEqualTo(2_000);
        assertThat(streams.streamUsers(1)).as(backend.id()).isEqualTo(1);
      }
    }
  }

  @Test
  void aBackendWithoutStreamsSaysSo() {
    assertThatThrownBy(() -> UserStreams.connect(Backend.REST, "127.0.0.1", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rest has no stream caller");
  }
}
