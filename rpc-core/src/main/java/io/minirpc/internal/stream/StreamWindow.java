package io.minirpc.internal.stream;

/** How far ahead of its subscriber a stream's receiver lets the sender go, in items. */
public final class StreamWindow {

  /**
   * The default window: enough that a fast receiver sends one credit frame per 16 items and the
   * sender rarely waits for one, few enough that a slow receiver holds at most 32 items.
   */
  public static final int DEFAULT = 32;

  private StreamWindow() {}
}
