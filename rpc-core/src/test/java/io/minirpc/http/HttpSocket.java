package io.minirpc.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain socket to the REST bridge, for what an HTTP client library hides: the same connection for
 * many requests, pipelined requests, interim responses, and connections the server closes. Every
 * read is bounded by a timeout.
 */
final class HttpSocket implements AutoCloseable {

  /** A response as it came: status, headers by lower-case name, and the body as UTF-8 text. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final DataInputStream in;

  HttpSocket(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
  }

  /** A POST of this JSON to this path, as one string ready to write. */
  static String post(String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length
        + "\r\n\r\n"
        + json;
  }

  void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Reads one response; its body is as long as its Content-Length says (0 when it has none). */
  Response read() throws IOException {
    return read(false);
  }

  /** Reads the response to a HEAD request: it has a Content-Length, but no body follows. */
  Response readHead() throws IOException {
    return read(true);
  }

  private Response read(boolean noBody) throws IOException {
    String statusLine = readLine();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    String length = headers.get("content-length");
    byte[] body = new byte[noBody || length == null ? 0 : Integer.parseInt(length)];
    in.readFully(body);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new EOFException("the server closed the connection");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Whether the server closes the connection (rather than say more) within the read timeout. */
  boolean isClosedByPeer() throws IOException {
    InputStream raw = socket.getInputStream();
    try {
      return raw.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset is the peer closing too.
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
