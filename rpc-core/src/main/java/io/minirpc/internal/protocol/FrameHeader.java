package io.minirpc.internal.protocol;

/**
 * The fixed 24-byte header that starts every minirpc frame, and the constants that describe it.
 *
 * <pre>
 *  0      2   3    4     5      6      7      8                 16        20        24
 *  +------+---+----+-----+------+------+------+-----------------+---------+---------+-----------
 *  |magic |ver|type|flags|serial|status|rsvd  |   request id    | timeout | length  | body ...
 *  |0x4D52| 1 |    |     |  id  |      |  0   |   (8, signed)   | (4, ms) | (4)     | (length)
 *  +------+---+----+-----+------+------+------+-----------------+---------+---------+-----------
 * </pre>
 *
 * <p>All numbers are big-endian. {@code length} counts the body only. See docs/PROTOCOL.md for the
 * body layouts and the evolution rules.
 */
public final class FrameHeader {

  /** "MR": the first two bytes of every frame; anything else closes the connection. */
  public static final short MAGIC = 0x4D52;

  /** The one protocol version this implementation speaks. */
  public static final byte VERSION = 1;

  public static final int SIZE = 24;

  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 2;
  public static final int TYPE_OFFSET = 3;
  public static final int FLAGS_OFFSET = 4;
  public static final int SERIALIZER_OFFSET = 5;
  public static final int STATUS_OFFSET = 6;
  public static final int RESERVED_OFFSET = 7;
  public static final int REQUEST_ID_OFFSET = 8;
  public static final int TIMEOUT_OFFSET = 16;
  public static final int LENGTH_OFFSET = 20;

  /** Request flag: the caller expects no response. */
  public static final int FLAG_ONE_WAY = 0x01;

  /**
   * Response flag: the server did not run the request (it is shutting down, say), so the caller may
   * send it elsewhere whatever the method.
   */
  public static final int FLAG_UNPROCESSED = 0x02;

  /**
   * Response flag: this server acts on {@link FrameType#CANCEL} frames. Set on every response of a
   * server that does, so that a client sends cancels only to servers that will not take them for a
   * protocol error.
   */
  public static final int FLAG_TAKES_CANCEL = 0x80;

  /**
   * Request flag: the body carries attachments between the method key and the arguments. Without
   * it, the body has no attachment section at all, so a call without attachments costs nothing.
   */
  public static final int FLAG_ATTACHMENTS = 0x04;

  /**
   * Request flag: a stream call. The body carries the caller's first credit for the response stream
   * (u32) between the attachments and the arguments, and the call goes on with {@link
   * FrameType#STREAM_ITEM}, {@link FrameType#STREAM_END} and {@link FrameType#STREAM_CREDIT} frames
   * until the server's response ends it. A server older than streams refuses the flag with
   * INVALID_ARGUMENT, which the caller reads as UNIMPLEMENTED.
   */
  public static final int FLAG_STREAM = 0x08;

  /** Flags this version understands; a request with any other bit set is refused. */
  public static final int KNOWN_FLAGS = FLAG_ONE_WAY | FLAG_ATTACHMENTS | FLAG_STREAM;

  /** The largest body a peer accepts unless configured otherwise: 8 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 8 * 1024 * 1024;

  private FrameHeader() {}
}
