package io.minirpc.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.Future;

/**
 * One request's turn in its connection's order of responses, from its head until its response is
 * written. Used on the connection's event loop only.
 */
final class Exchange {

  final HttpVersion version;
  final boolean keepAlive;

  /** The client waits for {@code 100 Continue} before it sends the body. */
  boolean continueExpected;

  FullHttpResponse response;

  /** Answers 504 when the call's deadline passes first; cancelled when the call answers. */
  Future<?> deadlineTimer;

  Exchange(HttpVersion version, boolean keepAlive) {
    this.version = version;
    this.keepAlive = keepAlive;
  }

  boolean isAnswered() {
    return response != null;
  }
}
