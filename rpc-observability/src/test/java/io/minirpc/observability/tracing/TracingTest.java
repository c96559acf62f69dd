package io.minirpc.observability.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.RpcService;
import io.minirpc.client.RpcClient;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A chain of three services, A calling B and B calling C, each a server of its own with the tracing
 * interceptors, traced into the OpenTelemetry SDK's in-memory exporter: one trace, each span the
 * child of the one that caused it, through blocking code (A) and through the callback of a future
 * (B's second call to C).
 */
class TracingTest {

  @RpcService(name = "trace.A")
  public interface ServiceA {
    String call();
  }

  @RpcService(name = "trace.B")
  public interface ServiceB {
    CompletableFuture<String> call();
  }

  @RpcService(name = "trace.C")
  public interface ServiceC {
    CompletableFuture<String> call(String from);
  }

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final MinirpcTelemetry telemetry = MinirpcTelemetry.create(otel);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    otel.close();
  }

  private <T> RpcServer serve(Class<T> type, T impl) {
    RpcServer server =
        RpcServer.builder()
            .host("127.0.0.1")
            .addService(type, impl)
            .intercept(telemetry.serverInterceptor())
            .build()
            .start();
    toClose.add(server);
    return server;
  }

  private <T> T stub(RpcServer server, Class<T> type) {
    RpcClient client =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .timeout(Duration.ofSeconds(10))
            .intercept(telemetry.clientInterceptor())
            .build();
    toClose.add(client);
    return client.stub(type);
  }

  private static SpanData span(List<SpanData> spans, String name, SpanKind kind, int nth) {
    return spans.stream()
        .filter(s -> s.getName().equals(name) && s.getKind() == kind)
        .skip(nth)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " span " + name + " in " + spans));
  }

  @Test
  void chainOfThreeServicesIsOneTraceOfCorrectlyParentedSpans() {
    RpcServer c = serve(ServiceC.class, from -> CompletableFuture.completedFuture("C via " + from));
    ServiceC toC = stub(c, ServiceC.class);
    // B calls C once on its own thread, and again from the callback of the first call's future.
    RpcServer b =
        serve(ServiceB.class, () -> toC.call("thread").thenCompose(first -> toC.call("callback")));
    ServiceB toB = stub(b, ServiceB.class);
    RpcServer a = serve(ServiceA.class, () -> toB.call().join());
    ServiceA toA = stub(a, ServiceA.class);

    assertThat(toA.call()).isEqualTo("C via callback");

    Await.until(
        Duration.ofSeconds(10), "8 spans", () -> exporter.getFinishedSpanItems().size() == 8);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(spans.get(0).getTraceId());
    SpanData clientA = span(spans, "trace.A/call", SpanKind.CLIENT, 0);
    SpanData serverA = span(spans, "trace.A/call", SpanKind.SERVER, 0);
    SpanData clientB = span(spans, "trace.B/call", SpanKind.CLIENT, 0);
    SpanData serverB = span(spans, "trace.B/call", SpanKind.SERVER, 0);
    SpanData serverC1 = span(spans, "trace.C/call", SpanKind.SERVER, 0);
    SpanData serverC2 = span(spans, "trace.C/call", SpanKind.SERVER, 1);

    assertThat(clientA.getParentSpanContext().isValid()).isFalse();
    assertThat(serverA.getParentSpanId()).isEqualTo(clientA.getSpanId());
    assertThat(clientB.getParentSpanId()).isEqualTo(serverA.getSpanId());
    assertThat(serverB.getParentSpanId()).isEqualTo(clientB.getSpanId());
    // Both of B's calls to C are B's children, the one made from a callback too.
    for (SpanData serverC : List.of(serverC1, serverC2)) {
      SpanData clientC =
          spans.stream()
              .filter(s -> s.getSpanId().equals(serverC.getParentSpanId()))
              .findFirst()
              .orElseThrow();
      assertThat(clientC.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(clientC.getParentSpanId()).isEqualTo(serverB.getSpanId());
    }
    assertThat(serverA.getAttributes().get(MinirpcTelemetry.RPC_SYSTEM)).isEqualTo("minirpc");
    assertThat(serverA.getAttributes().get(MinirpcTelemetry.STATUS_CODE)).isEqualTo("OK");
  }
}
