package io.minirpc.http;

import io.minirpc.MethodCodec;
import io.minirpc.Serializer;
import io.minirpc.Status;
import io.minirpc.internal.dispatch.ExportedMethod;
import io.minirpc.internal.dispatch.ExportedService;
import io.minirpc.internal.service.PreparedService;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the method a request path names: {@code /<service key>/<method>}, for example {@code
 * /example.UserService/getUser} or {@code /demo.Greeting:1/greet}. The table is keyed by the whole
 * path, so a plain request is routed with one lookup of its URI and no string building.
 */
final class RestRoutes {

  private final Map<String, RestMethod> byPath = new HashMap<>();
  private final Set<String> serviceKeys = new HashSet<>();

  /**
   * Prepares the JSON codecs of every service's methods. A service JSON cannot carry stays routed,
   * and its calls are answered UNIMPLEMENTED with the reason.
   */
  RestRoutes(List<ExportedService> services, Serializer json, Duration defaultTimeout) {
    for (ExportedService service : services) {
      PreparedService prepared = null;
      String refusal = null;
      try {
        prepared = PreparedService.of(service.descriptor(), json);
      } catch (IllegalArgumentException e) {
        refusal = e.getMessage();
      }
      String key = service.descriptor().name().key();
      serviceKeys.add(key);
      for (ExportedMethod method : service.methods().values()) {
        MethodCodec codec = prepared == null ? null : prepared.codec(method.descriptor());
        String methodRefusal = refusal;
        if (method.descriptor().isStreaming()) {
          // One HTTP request and one response carry one value each way: no stream.
          codec = null;
          methodRefusal =
              method.descriptor().displayName()
                  + " streams (it takes or returns a Flow.Publisher); the REST bridge carries"
                  + " unary calls only: call it over the minirpc port";
        }
        long timeoutMillis = method.descriptor().timeout().orElse(defaultTimeout).toMillis();
        byPath.put(
            path(key, method.descriptor().name()),
            new RestMethod(method, codec, methodRefusal, timeoutMillis));
      }
    }
  }

  static String path(String serviceKey, String methodName) {
    return "/" + serviceKey + "/" + methodName;
  }

  /** The method this request URI names, or {@code null}. */
  RestMethod find(String uri) {
    RestMethod method = byPath.get(uri);
    return method != null ? method : byPath.get(pathOf(uri));
  }

  /**
   * The path of a URI that was not found as it is: without query or fragment, percent-decoded, and
   * taken out of the absolute form a proxy sends ({@code http://host/path}).
   */
  static String pathOf(String uri) {
    String path = uri;
    if (!uri.startsWith("/")) {
      int authority = uri.indexOf("://");
      if (authority > 0) {
        int slash = uri.indexOf('/', authority + 3);
        path = slash < 0 ? "/" : uri.substring(slash);
      }
    }
    try {
      return new QueryStringDecoder(path).path();
    } catch (IllegalArgumentException e) {
      // A broken percent-escape: the path stays as it came, and matches nothing.
      return path;
    }
  }

  /** Why no method answers at this URI, in the words the RPC server uses for the same miss. */
  Status notFound(String uri) {
    String path = pathOf(uri);
    int slash = path.lastIndexOf('/');
    String serviceKey = slash > 0 ? path.substring(1, slash) : path.substring(1);
    if (!serviceKeys.contains(serviceKey)) {
      return Status.NOT_FOUND.withDescription(
          "no service '" + serviceKey + "' on this server; GET / lists the services");
    }
    if (slash <= 0) {
      return Status.NOT_FOUND.withDescription(
          "name a method of service '" + serviceKey + "': POST " + path(serviceKey, "<method>"));
    }
    return Status.NOT_FOUND.withDescription(
        "service '" + serviceKey + "' has no method '" + path.substring(slash + 1) + "'");
  }
}
