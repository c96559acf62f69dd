package io.minirpc.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.ServiceName;
import io.minirpc.Status;
import io.minirpc.serialize.JsonSerializer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a service's methods by name with JSON arguments, without its interface on the classpath, as
 * Dubbo's {@code GenericService} does: for tools, gateways and tests. The calls travel over the
 * minirpc protocol as a stub's calls of a client with the JSON serializer would, so the server
 * reads them with the method's declared types and answers as to any call.
 *
 * <pre>{@code
 * try (RpcClient client =
 *     RpcClient.builder().addresses("127.0.0.1:7070").serializer(JsonSerializer.create()).build()) {
 *   GenericClient generic = GenericClient.of(client);
 *   JsonNode user = generic.invoke("example.UserService", "getUser", "[42]");
 * }
 * }</pre>
 *
 * <p>A generic call takes the client's way, as its stubs' calls do: its interceptors (which see one
 * argument, the JSON array as a {@link JsonNode}), its providers from the registry or the addresses
 * and its load balancer, its deadline (the options' timeout, else the client's; the method's {@code
 * CallTimeout} is not known here). Not knowing whether the method is {@code Idempotent}, a generic
 * call is retried only when its request certainly ran on no server, never after a failure once
 * sent; nor does it know {@code OneWay}, so it always waits for the answer. The reflection service
 * ({@code io.minirpc.reflection.Reflection}) tells what there is to call.
 *
 * <p>Failures are {@link RpcException}s: arguments that are not a JSON array fail with
 * INVALID_ARGUMENT before anything is sent; the server answers NOT_FOUND for an unknown service or
 * method and SERIALIZATION for arguments of the wrong number or types; a service JSON cannot carry
 * is answered UNIMPLEMENTED.
 */
public final class GenericClient {

  private final RpcClient client;
  private final ObjectMapper mapper =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final GenericJsonCodec codec = new GenericJsonCodec(mapper);

  private GenericClient(RpcClient client) {
    this.client = client;
  }

  /**
   * Generic calls through this client.
   *
   * @throws IllegalArgumentException if the client's serializer is not JSON: a generic call's
   *     arguments are JSON on the wire
   */
  public static GenericClient of(RpcClient client) {
    Objects.requireNonNull(client, "client");
    if (!(client.serializer() instanceof JsonSerializer)) {
      throw new IllegalArgumentException(
          "generic calls need a client with the JSON serializer"
              + " (RpcClient.builder().serializer(JsonSerializer.create())), not "
              + client.serializer().name());
    }
    return new GenericClient(client);
  }

  /** Calls the method with these arguments and the client's timeout, and waits for its result. */
  public JsonNode invoke(String serviceKey, String method, String jsonArguments) {
    return invoke(serviceKey, method, jsonArguments, CallOptions.DEFAULT);
  }

  /**
   * Calls the method and waits for its result.
   *
   * @param serviceKey the service's key: {@code name} or {@code name:version}
   * @param method the method's name
   * @param jsonArguments a JSON array, one element per parameter, such as {@code [42]} or {@code
   *     []}
   * @param options the call's timeout, deadline and attachments
   * @return the result as JSON; {@code NullNode} for a {@code null} result or a {@code void} method
   * @throws RpcException INVALID_ARGUMENT if the arguments are not a JSON array, nothing sent; or
   *     how the call failed
   */
  public JsonNode invoke(
      String serviceKey, String method, String jsonArguments, CallOptions options) {
    ServiceName service = serviceName(serviceKey);
    Object[] arguments = arguments(service, method, jsonArguments);
    return (JsonNode)
        client.callGeneric(
            service, method, false, Objects.requireNonNull(options, "options"), codec, arguments);
  }

  /** Calls the method with these arguments and the client's timeout, without waiting. */
  public CompletableFuture<JsonNode> invokeAsync(
      String serviceKey, String method, String jsonArguments) {
    return invokeAsync(serviceKey, method, jsonArguments, CallOptions.DEFAULT);
  }

  /**
   * Calls the method without waiting, as {@link #invoke(String, String, String, CallOptions)} does;
   * arguments that are not a JSON array fail the future with INVALID_ARGUMENT, nothing sent.
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<JsonNode> invokeAsync(
      String serviceKey, String method, String jsonArguments, CallOptions options) {
    ServiceName service = serviceName(serviceKey);
    Objects.requireNonNull(options, "options");
    Object[] arguments;
    try {
      arguments = arguments(service, method, jsonArguments);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    return (CompletableFuture<JsonNode>)
        client.callGeneric(service, method, true, options, codec, arguments);
  }

  /** The name and version of a key: {@code name} or {@code name:version}. */
  private static ServiceName serviceName(String serviceKey) {
    Objects.requireNonNull(serviceKey, "serviceKey");
    int colon = serviceKey.indexOf(':');
    return colon < 0
        ? new ServiceName(serviceKey, "")
        : new ServiceName(serviceKey.substring(0, colon), serviceKey.substring(colon + 1));
  }

  /** The one argument the codec writes: the arguments parsed, so that bad JSON is never sent. */
  private Object[] arguments(ServiceName service, String method, String jsonArguments) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(jsonArguments, "jsonArguments");
    if (method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    String call = service.key() + "/" + method;
    JsonNode parsed;
    try {
      parsed = mapper.readTree(jsonArguments);
    } catch (JsonProcessingException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "the arguments of "
                  + call
                  + " are not JSON: "
                  + e.getOriginalMessage()
                  + "; nothing was sent")
          .asException(e);
    }
    if (parsed == null || !parsed.isArray()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "the arguments of "
                  + call
                  + " must be a JSON array, one element per parameter, not "
                  + (parsed == null || parsed.isMissingNode() ? "nothing" : parsed.getNodeType())
                  + "; nothing was sent")
          .asException();
    }
    return new Object[] {parsed};
  }
}
