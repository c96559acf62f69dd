package io.minirpc.serialize;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded, lock-free pool of reusable objects (Kryo instances and buffers): obtaining one takes a
 * free one or makes a new one, and one freed while the pool is full is dropped.
 *
 * <p>Kryo's own thread-safe {@code Pool} is a {@code LinkedBlockingQueue}, whose locks every caller
 * thread and the event loop take several times per call, and on which they queue and park when they
 * meet.
 */
final class ObjectPool<T> {

  private final Queue<T> free = new ConcurrentLinkedQueue<>();
  // The size of free, reserved before an offer, so that the pool never holds more than capacity.
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;
  private final Supplier<T> factory;

  ObjectPool(int capacity, Supplier<T> factory) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.factory = factory;
  }

  T obtain() {
    T object = free.poll();
    if (object == null) {
      return factory.get();
    }
    size.decrementAndGet();
    return object;
  }

  void free(T object) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return;
    }
    free.offer(object);
  }
}
