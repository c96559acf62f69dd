package io.minirpc.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.minirpc.Serializer;
import io.minirpc.ServiceName;
import io.minirpc.internal.dispatch.ExportedMethod;
import io.minirpc.internal.dispatch.ExportedService;
import io.minirpc.internal.service.MethodDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The answer to {@code GET /}: every service and its methods, with the path to call each one, its
 * parameter and result types, and its default timeout. Rendered once, as indented JSON that reads
 * well in a terminal:
 *
 * <pre>
 * {
 *   "services" : [ {
 *     "name" : "example.UserService",
 *     "version" : "",
 *     "methods" : [ {
 *       "name" : "getUser",
 *       "path" : "/example.UserService/getUser",
 *       "parameters" : [ "long" ],
 *       "returns" : "io.minirpc.example.user.User",
 *       "timeoutMs" : 3000
 *     } ]
 *   } ]
 * }
 * </pre>
 *
 * <p>A service JSON cannot carry has an {@code "unavailable"} field with the reason instead.
 *
 * <p>The server's reflection service answers this same document over the minirpc protocol, so it is
 * public for {@code io.minirpc.server}; the package is not exported from the module.
 */
public final class ServiceListing {

  private ServiceListing() {}

  /**
   * The listing of these services, as the REST bridge of a server with this JSON serializer and
   * this REST timeout answers {@code GET /}, whether or not the server has a REST port.
   */
  public static byte[] render(
      List<ExportedService> services, Serializer json, Duration defaultTimeout) {
    return render(services, new RestRoutes(services, json, defaultTimeout));
  }

  static byte[] render(List<ExportedService> services, RestRoutes routes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeArrayFieldStart("services");
      for (ExportedService service : sortedByKey(services)) {
        writeService(json, service, routes);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static List<ExportedService> sortedByKey(List<ExportedService> services) {
    return services.stream()
        .sorted(Comparator.comparing(s -> s.descriptor().name().key()))
        .toList();
  }

  private static void writeService(JsonGenerator json, ExportedService service, RestRoutes routes)
      throws IOException {
    ServiceName name = service.descriptor().name();
    json.writeStartObject();
    json.writeStringField("name", name.name());
    json.writeStringField("version", name.version());
    List<ExportedMethod> methods =
        service.methods().values().stream()
            .sorted(Comparator.comparing(m -> m.descriptor().name()))
            .toList();
    // The service's own refusal, if JSON cannot carry it: a stream method's route has its own.
    String refusal =
        methods.stream()
            .filter(m -> !m.descriptor().isStreaming())
            .findFirst()
            .map(m -> routes.find(path(m.descriptor())).refusal())
            .orElse(null);
    if (refusal != null) {
      json.writeStringField("unavailable", refusal);
    }
    json.writeArrayFieldStart("methods");
    for (ExportedMethod method : methods) {
      MethodDescriptor descriptor = method.descriptor();
      json.writeStartObject();
      json.writeStringField("name", descriptor.name());
      json.writeStringField("path", path(descriptor));
      json.writeArrayFieldStart("parameters");
      if (descriptor.isStreaming()) {
        // As declared, the request stream's Flow.Publisher among them.
        for (Type type : descriptor.method().getGenericParameterTypes()) {
          json.writeString(type.getTypeName());
        }
      } else {
        for (Type type : descriptor.parameterTypes()) {
          json.writeString(type.getTypeName());
        }
      }
      json.writeEndArray();
      if (descriptor.isStreaming()) {
        json.writeStringField("returns", descriptor.method().getGenericReturnType().getTypeName());
        json.writeStringField("streams", streams(descriptor));
      } else {
        json.writeStringField("returns", descriptor.signature().resultType().getTypeName());
      }
      json.writeNumberField("timeoutMs", routes.find(path(descriptor)).timeoutMillis());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /** Which way a stream method streams, as gRPC names the kinds. */
  private static String streams(MethodDescriptor method) {
    if (method.hasRequestStream() && method.hasResponseStream()) {
      return "bidi";
    }
    return method.hasRequestStream() ? "client" : "server";
  }

  private static String path(MethodDescriptor method) {
    return RestRoutes.path(method.service().key(), method.name());
  }
}
