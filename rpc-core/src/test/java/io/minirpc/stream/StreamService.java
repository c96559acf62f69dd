package io.minirpc.stream;

import io.minirpc.RpcService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Every kind of stream call, for the streaming tests. */
@RpcService(name = "test.Streams")
public interface StreamService {

  /** Server stream: 0, 1, ..., n - 1. */
  Flow.Publisher<Long> count(long n);

  /** Server stream: n items of {@code size} bytes, each filled with its index's low byte. */
  Flow.Publisher<byte[]> blobs(int n, int size);

  /** Server stream: n items, then the failure {@code IllegalStateException(message)}. */
  Flow.Publisher<Long> failAfter(long n, String message);

  /** Client stream: the sum of the numbers. */
  CompletableFuture<Long> sum(Flow.Publisher<Long> numbers);

  /** Client stream, answered by a blocking method: how many items arrived. */
  long countItems(Flow.Publisher<String> items);

  /** Client stream: answers after {@code take} items, cancelling the rest of the stream. */
  CompletableFuture<Long> firstOf(Flow.Publisher<Long> numbers, int take);

  /** Client stream: asks for {@code take} items and no more; answers as the stream ends. */
  CompletableFuture<Long> takeOnly(Flow.Publisher<Long> numbers, int take);

  /** Bidirectional: each word upper-cased, in order. */
  Flow.Publisher<String> shout(Flow.Publisher<String> words);
}
