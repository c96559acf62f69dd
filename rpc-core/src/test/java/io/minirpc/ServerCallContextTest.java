package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.internal.call.ServerCallContexts;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A served call's context is made by the runtime only, so that service code cannot forge one. */
class ServerCallContextTest {

  @Test
  void serviceCodeCannotConstructAContext() {
    assertThat(ServerCallContext.class.getConstructors()).isEmpty();
    assertThat(Arrays.stream(ServerCallContext.class.getDeclaredConstructors()))
        .allMatch(c -> Modifier.isPrivate(c.getModifiers()));
  }

  @Test
  void theRuntimeMakesContextsThatCarryWhatTheyAreGiven() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(5));
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 4242);

    ServerCallContext call =
        ServerCallContexts.create(
            "users", "getUser", Attachments.EMPTY.with("tenant", "acme"), peer, deadline);

    assertThat(call.service()).isEqualTo("users");
    assertThat(call.method()).isEqualTo("getUser");
    assertThat(call.attachments().get("tenant")).isEqualTo("acme");
    assertThat(call.remoteAddress()).isEqualTo(peer);
    assertThat(call.deadline()).contains(deadline);
    assertThat(ServerCallContext.current()).isNull();
    try (ServerCallContext.Scope scope = call.open()) {
      assertThat(ServerCallContext.current()).isSameAs(call);
    }
    assertThat(ServerCallContext.current()).isNull();
  }
}
