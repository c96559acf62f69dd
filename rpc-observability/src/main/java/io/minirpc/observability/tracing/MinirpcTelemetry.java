package io.minirpc.observability.tracing;

import io.minirpc.Attachments;
import io.minirpc.ClientInterceptor;
import io.minirpc.ServerCallContext;
import io.minirpc.ServerInterceptor;
import io.minirpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;

/**
 * Traces minirpc calls with OpenTelemetry: a CLIENT span for every call a client makes and a SERVER
 * span for every call a server serves, named {@code service/method}, with the attributes of
 * OpenTelemetry's RPC conventions ({@code rpc.system}, {@code rpc.service}, {@code rpc.method}) and
 * {@code rpc.minirpc.status_code}. The trace context travels as the W3C {@code traceparent} (and
 * {@code tracestate}) attachment, so a REST caller's {@code traceparent} header joins the trace
 * too.
 *
 * <pre>{@code
 * MinirpcTelemetry telemetry = MinirpcTelemetry.create(openTelemetry);
 * RpcServer server = RpcServer.builder().addService(impl)
 *     .intercept(telemetry.serverInterceptor()).build();
 * RpcClient client = RpcClient.builder().registry(registry)
 *     .intercept(telemetry.clientInterceptor()).build();
 * }</pre>
 *
 * <p>A call made while serving another is the child of the served call's span: on the service's
 * thread through OpenTelemetry's current context, and in the callbacks of the futures minirpc
 * returns (where that context is not current) through the served call's {@link ServerCallContext},
 * which carries it.
 */
public final class MinirpcTelemetry {

  /** The served call's trace context, for calls made where OpenTelemetry's is not current. */
  static final ServerCallContext.Key<Context> CONTEXT =
      ServerCallContext.Key.of("opentelemetry-context", Context.class);

  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> STATUS_CODE = AttributeKey.stringKey("rpc.minirpc.status_code");

  private static final TextMapGetter<Attachments> FROM_ATTACHMENTS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Attachments carrier) {
          return carrier.asMap().keySet();
        }

        @Override
        public String get(Attachments carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  private MinirpcTelemetry(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("io.minirpc");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** Telemetry through this OpenTelemetry: its tracer provider and its propagators. */
  public static MinirpcTelemetry create(OpenTelemetry openTelemetry) {
    return new MinirpcTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** Starts a CLIENT span per call, as the child of the current span or of the served call's. */
  public ClientInterceptor clientInterceptor() {
    return (request, next) -> {
      Context parent = parentOfClientCall();
      Span span = start(request.service(), request.method(), SpanKind.CLIENT, parent);
      Context context = parent.with(span);
      Attachments[] carried = {request.attachments()};
      propagator.inject(context, carried, (c, key, value) -> c[0] = c[0].with(key, value));
      try (io.opentelemetry.context.Scope scope = context.makeCurrent()) {
        return next.proceed(request.withAttachments(carried[0]))
            .whenComplete((result, failure) -> end(span, failure));
      } catch (RuntimeException e) {
        end(span, e);
        throw e;
      }
    };
  }

  /** Starts a SERVER span per served call, as the child of the caller's span if it sent one. */
  public ServerInterceptor serverInterceptor() {
    return (call, next) -> {
      Context parent = propagator.extract(Context.root(), call.attachments(), FROM_ATTACHMENTS);
      Span span = start(call.service(), call.method(), SpanKind.SERVER, parent);
      Context context = parent.with(span);
      try (io.opentelemetry.context.Scope scope = context.makeCurrent()) {
        return next.proceed(call.withValue(CONTEXT, context))
            .whenComplete((result, failure) -> end(span, failure));
      } catch (RuntimeException e) {
        end(span, e);
        throw e;
      }
    };
  }

  private static Context parentOfClientCall() {
    Context current = Context.current();
    if (Span.fromContextOrNull(current) != null) {
      return current;
    }
    ServerCallContext served = ServerCallContext.current();
    Context inherited = served == null ? null : served.value(CONTEXT);
    return inherited != null ? inherited : current;
  }

  private Span start(String service, String method, SpanKind kind, Context parent) {
    return tracer
        .spanBuilder(service + "/" + method)
        .setSpanKind(kind)
        .setParent(parent)
        .setAttribute(RPC_SYSTEM, "minirpc")
        .setAttribute(RPC_SERVICE, service)
        .setAttribute(RPC_METHOD, method)
        .startSpan();
  }

  private static void end(Span span, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    span.setAttribute(STATUS_CODE, status.code().name());
    if (!status.isOk()) {
      span.setStatus(StatusCode.ERROR, String.valueOf(status.description()));
    }
    span.end();
  }
}
