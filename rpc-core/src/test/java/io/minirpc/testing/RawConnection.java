package io.minirpc.testing;

import io.minirpc.internal.protocol.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A plain socket to a server, for tests that send bytes no well-behaved client would: it writes raw
 * bytes and reads raw frames, each read bounded by a timeout. It can play the server too, to see
 * what a client writes ({@link #accept}).
 */
public final class RawConnection implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;

  public RawConnection(int port) throws IOException {
    this(port, Duration.ofSeconds(5));
  }

  /** A connection whose reads give up after {@code readTimeout}. */
  public RawConnection(int port, Duration readTimeout) throws IOException {
    this(new Socket("127.0.0.1", port), readTimeout);
  }

  private RawConnection(Socket socket, Duration readTimeout) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) readTimeout.toMillis());
    in = new DataInputStream(socket.getInputStream());
  }

  /**
   * The next connection a client opens to {@code listener}, for tests that play the server: waits
   * for it up to {@code timeout}, which then bounds each read too.
   */
  public static RawConnection accept(ServerSocket listener, Duration timeout) throws IOException {
    listener.setSoTimeout((int) timeout.toMillis());
    return new RawConnection(listener.accept(), timeout);
  }

  private static final int MAX_BODY_READ = 16 * 1024 * 1024;

  public void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Writes a frame and releases it. */
  public void write(ByteBuf frame) throws IOException {
    try {
      write(ByteBufUtil.getBytes(frame));
    } finally {
      frame.release();
    }
  }

  /**
   * Reads one whole frame: header and body.
   *
   * @throws EOFException if the server closed the connection first
   * @throws IOException if the header announces a negative body or one over 16 MiB
   */
  public byte[] readFrame() throws IOException {
    byte[] header = new byte[FrameHeader.SIZE];
    in.readFully(header);
    int length =
        ((header[20] & 0xFF) << 24)
            | ((header[21] & 0xFF) << 16)
            | ((header[22] & 0xFF) << 8)
            | (header[23] & 0xFF);
    if (length < 0 || length > MAX_BODY_READ) {
      throw new IOException("the server sent a frame announcing a body of " + length + " bytes");
    }
    byte[] frame = new byte[FrameHeader.SIZE + length];
    System.arraycopy(header, 0, frame, 0, header.length);
    in.readFully(frame, FrameHeader.SIZE, length);
    return frame;
  }

  /** Whether the server closes the connection (rather than answer) within the read timeout. */
  public boolean isClosedByPeer() throws IOException {
    InputStream raw = socket.getInputStream();
    try {
      return raw.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException e) {
      return true;
    } catch (IOException e) {
      // A reset is the peer closing too.
      return true;
    }
  }

  /** Tells the server that nothing more will be sent: it reads the end of the stream. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Closes with a reset (RST) instead of an orderly close, as a peer that crashed may. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
