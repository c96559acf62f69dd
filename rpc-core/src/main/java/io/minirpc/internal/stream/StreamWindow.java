package io.minirpc.internal.stream;

/**
 * How far ahead of its subscriber a stream's receiver lets the sender go, in items: about {@value
 * #BYTES} bytes of the largest item seen so far (gRPC's default HTTP/2 window is 1 MiB too),
 * between {@value #MIN_ITEMS} and {@value #MAX_ITEMS} items, and {@value #FIRST_ITEMS} before any
 * item has arrived. Small items thus stream without waiting for credit, and large ones hold little
 * memory.
 *
 * <p>Credit given while items were small still stands when larger ones come: a stream whose items
 * grow a thousandfold at once may have a window of the large ones in flight, once.
 *
 * <p>Written by the connection's thread as items arrive, read by the stream's drain loop; a read
 * that misses the latest item is corrected at the next.
 */
public final class StreamWindow {

  /** The window before any item has arrived. */
  public static final int FIRST_ITEMS = 32;

  public static final int MIN_ITEMS = 4;
  public static final int MAX_ITEMS = 1024;

  /** The bytes a window should hold, of items as large as the largest seen. */
  public static final int BYTES = 1024 * 1024;

  private volatile int largestItem;

  /** An item of this many bytes arrived. */
  public void arrived(int bytes) {
    if (bytes > largestItem) {
      largestItem = bytes;
    }
  }

  /** The window now, in items. */
  public int items() {
    int largest = largestItem;
    if (largest == 0) {
      return FIRST_ITEMS;
    }
    return Math.max(MIN_ITEMS, Math.min(MAX_ITEMS, BYTES / largest));
  }
}
