package io.minirpc.http;

import io.minirpc.Serializer;
import io.minirpc.health.Health;
import io.minirpc.internal.dispatch.ExportedService;
import io.minirpc.internal.dispatch.InFlightCalls;
import io.minirpc.internal.dispatch.ServerDispatcher;
import io.minirpc.internal.protocol.AttachmentLimits;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.List;

/**
 * Serves a server's services over HTTP/1.1 and JSON, on a port of its own: {@code POST /<service
 * key>/<method>} with the arguments as a JSON array answers the result as JSON, {@code GET /} lists
 * the services, and {@code GET /health} answers the server's health. The calls run exactly as calls
 * over the minirpc protocol do: the same implementations, dispatch table, dispatcher, interceptors,
 * business executor and deadline handling. The listing passes the interceptors too, as a call of
 * {@code listServices} of {@link io.minirpc.ServerInterceptor#REFLECTION_SERVICE}.
 *
 * <p>The bridge is part of an {@code RpcServer}, which starts and closes it; enable it with {@code
 * RpcServer.builder().restPort(8080)}. This class sets up its connections and is not meant to be
 * used on its own. docs/REST.md describes the HTTP interface and its status codes.
 */
public final class RestBridge {

  /** The largest piece of a body the HTTP decoder hands over at once. */
  private static final int MAX_CHUNK_SIZE = 64 * 1024;

  private final RestDispatcher dispatcher;
  private final int maxBodySize;

  private RestBridge(RestDispatcher dispatcher, int maxBodySize) {
    this.dispatcher = dispatcher;
    this.maxBodySize = maxBodySize;
  }

  /**
   * Prepares the routes, the JSON codecs of every method and the service listing, once.
   *
   * @param health answers {@code GET /health} and {@code GET /health/<service key>}
   * @param json the serializer that reads arguments and writes results
   * @param dispatcher starts the calls, as over the minirpc protocol, through the interceptors
   * @param inFlight the server's count of calls in flight, which a graceful close waits for
   * @param maxBodySize the largest request body accepted, in bytes
   * @param defaultTimeout the deadline of a call to a method without {@code CallTimeout} when the
   *     request sets none
   * @param attachmentLimits how many attachments (headers mapped onto them) a call may carry
   * @param listing whether to answer {@code GET /} with the service listing; when not, it is a 404
   *     (the server's reflection is switched off)
   */
  public static RestBridge of(
      List<ExportedService> services,
      Health health,
      Serializer json,
      ServerDispatcher dispatcher,
      InFlightCalls inFlight,
      int maxBodySize,
      Duration defaultTimeout,
      AttachmentLimits attachmentLimits,
      boolean listing) {
    RestRoutes routes = new RestRoutes(services, json, defaultTimeout);
    byte[] listed = listing ? ServiceListing.render(services, routes) : null;
    return new RestBridge(
        new RestDispatcher(
            routes, listed, new HealthEndpoint(health), dispatcher, inFlight, attachmentLimits),
        maxBodySize);
  }

  /** Sets up the pipeline of a connection the bridge's port accepted. */
  public void initChannel(Channel channel) {
    channel
        .pipeline()
        .addLast(
            new HttpServerCodec(new HttpDecoderConfig().setMaxChunkSize(MAX_CHUNK_SIZE)),
            new RestConnectionHandler(dispatcher, maxBodySize));
  }
}
