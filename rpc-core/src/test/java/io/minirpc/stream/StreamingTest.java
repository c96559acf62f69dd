package io.minirpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minirpc.CallOptions;
import io.minirpc.RpcException;
import io.minirpc.Status;
import io.minirpc.client.RpcClient;
import io.minirpc.internal.stream.StreamWindow;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.server.RpcServer;
import io.minirpc.testing.Await;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream calls end to end over a real connection: a server stream, a client stream, both at once,
 * with backpressure from a slow consumer, cancel from either side, a failure mid-stream and a
 * deadline.
 */
class StreamingTest {

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final CallOptions LONG = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(60));

  private final StreamServiceImpl impl = new StreamServiceImpl();
  private RpcServer server;
  private RpcClient client;
  private StreamService streams;

  @BeforeEach
  void start() {
    server = RpcServer.builder().host("127.0.0.1").addService(impl).build().start();
    client = RpcClient.builder().addresses("127.0.0.1:" + server.port()).build();
    streams = client.stub(StreamService.class, LONG);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void serverStreamOfAMillionSmallItemsArrivesWholeAndInOrder() throws Exception {
    AtomicLong expected = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    TestSubscriber<Long> subscriber =
        new TestSubscriber<>(
            256,
            false,
            item -> {
              if (item != expected.getAndIncrement()) {
                outOfOrder.incrementAndGet();
              }
            });

    // Paranoid leak detection records every one of the two million frames' buffers, which takes
    // a minute; sampled detection still reports a leak, and the other tests keep paranoid.
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    try {
      streams.count(1_000_000).subscribe(subscriber);
      assertThat(subscriber.await(WITHIN)).isEqualTo(1_000_000);
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
    assertThat(outOfOrder).hasValue(0);
  }

  @Test
  void aSlowConsumerKeepsTheProducerWithinTheWindowAndMemoryBounded() throws Exception {
    int size = 256 * 1024;
    long baseline = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    AtomicLong mostAhead = new AtomicLong();
    AtomicLong mostAheadLater = new AtomicLong();
    AtomicLong mostDirect = new AtomicLong();
    AtomicLong wrongBytes = new AtomicLong();
    AtomicLong index = new AtomicLong();
    TestSubscriber<byte[]> subscriber =
        new TestSubscriber<>(
            1,
            false,
            item -> {
              long i = index.getAndIncrement();
              if (item.length != size || item[0] != (byte) i || item[size - 1] != (byte) i) {
                wrongBytes.incrementAndGet();
              }
              // The consumer is slow: the producer must wait for it, not fill memory.
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
              DemandPublisher<?> producer = impl.lastPublisher.get();
              long ahead = producer.produced() - (i + 1);
              mostAhead.accumulateAndGet(ahead, Math::max);
              if (i >= StreamWindow.FIRST_ITEMS) {
                // The first window's credit is spent: the window is now a mebibyte of these.
                mostAheadLater.accumulateAndGet(ahead, Math::max);
              }
              mostDirect.accumulateAndGet(
                  PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - baseline, Math::max);
            });

    streams.blobs(300, size).subscribe(subscriber);

    assertThat(subscriber.await(WITHIN)).isEqualTo(300);
    assertThat(wrongBytes).hasValue(0);
    // Never more made than the consumer took plus the credit it gave: the first window, then
    // about a mebibyte of these items.
    assertThat(mostAhead.get()).isLessThanOrEqualTo(StreamWindow.FIRST_ITEMS);
    assertThat(mostAheadLater.get()).isLessThanOrEqualTo(StreamWindow.BYTES / size);
    // 300 items of 256 KiB went through; the pools held at most a few windows' worth at a time.
    assertThat(mostDirect.get()).isLessThan(4L * StreamWindow.FIRST_ITEMS * size);
  }

  @Test
  void clientStreamIsSummedByTheServer() {
    DemandPublisher<Long> numbers = new DemandPublisher<>(10_000, i -> i);

    long sum = streams.sum(numbers).join();

    assertThat(sum).isEqualTo(10_000L * 9_999 / 2);
    assertThat(numbers.produced()).isEqualTo(10_000);
  }

  @Test
  void theJdksSubmissionPublisherFeedsAClientStream() throws Exception {
    CompletableFuture<Long> sum;
    try (SubmissionPublisher<Long> numbers = new SubmissionPublisher<>()) {
      sum = streams.sum(numbers);
      for (long i = 1; i <= 1_000; i++) {
        // Blocks while the publisher's buffer is full: the server's credit paces this loop.
        numbers.submit(i);
      }
    }
    assertThat(sum.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(500_500);
  }

  @Test
  void aBlockingServiceMethodTakesAClientStream() {
    assertThat(streams.countItems(new DemandPublisher<>(500, i -> "item " + i))).isEqualTo(500);
  }

  @Test
  void anEmptyClientStreamIsAnswered() {
    assertThat(streams.sum(new DemandPublisher<>(0, i -> i)).join()).isZero();
  }

  @Test
  void bidirectionalStreamEchoesEveryWordInOrder() throws Exception {
    TestSubscriber<String> subscriber = TestSubscriber.keeping(7);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      expected.add("WORD-" + i);
    }

    streams.shout(new DemandPublisher<>(2_000, i -> "word-" + i)).subscribe(subscriber);

    assertThat(subscriber.await(WITHIN)).isEqualTo(2_000);
    assertThat(subscriber.items).containsExactlyElementsOf(expected);
  }

  @Test
  void aSubscriberThatCancelsStopsTheProducer() throws Exception {
    TestSubscriber<Long> subscriber = TestSubscriber.keeping(10);
    streams.count(Long.MAX_VALUE).subscribe(subscriber);
    Await.until(WITHIN, "100 items", () -> subscriber.received() >= 100);

    subscriber.cancel();

    Await.until(
        WITHIN, "the server's publisher cancelled", () -> impl.lastPublisher.get().cancelled());
    Await.until(WITHIN, "the server to have no call in flight", () -> server.inFlightCalls() == 0);
  }

  @Test
  void aServiceThatStopsReadingEndsTheClientsStream() {
    DemandPublisher<Long> endless = new DemandPublisher<>(Long.MAX_VALUE, i -> 1L);

    long sum = streams.firstOf(endless, 5).join();

    assertThat(sum).isEqualTo(5);
    Await.until(WITHIN, "the caller's publisher cancelled", endless::cancelled);
  }

  @Test
  void aFailureMidStreamReachesTheSubscriberAfterTheItemsBeforeIt() {
    TestSubscriber<Long> subscriber = TestSubscriber.keeping(4);

    streams.failAfter(10, "the disk is full").subscribe(subscriber);

    RpcException e = catchThrowableOfType(() -> subscriber.await(WITHIN), RpcException.class);
    assertThat(e.code()).isEqualTo(Status.Code.APPLICATION_ERROR);
    assertThat(e.getMessage()).contains("the disk is full");
    assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(subscriber.items).hasSize(10);
  }

  @Test
  void theDeadlineEndsAStreamAndTheServerStopsProducing() throws Exception {
    StreamService hasty =
        client.stub(StreamService.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    TestSubscriber<Long> subscriber =
        new TestSubscriber<>(
            1, false, item -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)));

    hasty.count(Long.MAX_VALUE).subscribe(subscriber);

    RpcException e = catchThrowableOfType(() -> subscriber.await(WITHIN), RpcException.class);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    Await.until(
        WITHIN, "the server's publisher cancelled", () -> impl.lastPublisher.get().cancelled());
  }

  @Test
  void aSecondSubscriberMakesACallOfItsOwn() throws Exception {
    var publisher = streams.count(3);
    TestSubscriber<Long> first = TestSubscriber.keeping(8);
    TestSubscriber<Long> second = TestSubscriber.keeping(8);

    publisher.subscribe(first);
    publisher.subscribe(second);

    assertThat(first.await(WITHIN)).isEqualTo(3);
    assertThat(second.await(WITHIN)).isEqualTo(3);
    assertThat(second.items).containsExactly(0L, 1L, 2L);
  }

  @Test
  void streamsWorkWithTheJsonSerializer() throws Exception {
    try (RpcClient json =
        RpcClient.builder()
            .addresses("127.0.0.1:" + server.port())
            .serializer(JsonSerializer.create())
            .build()) {
      StreamService s = json.stub(StreamService.class, LONG);
      TestSubscriber<String> subscriber = TestSubscriber.keeping(2);
      s.shout(new DemandPublisher<>(3, i -> "json " + i)).subscribe(subscriber);
      assertThat(subscriber.await(WITHIN)).isEqualTo(3);
      assertThat(subscriber.items).containsExactly("JSON 0", "JSON 1", "JSON 2");
      assertThat(s.sum(new DemandPublisher<>(4, i -> i)).join()).isEqualTo(6);
    }
  }
}
