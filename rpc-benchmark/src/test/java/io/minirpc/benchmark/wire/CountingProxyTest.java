package io.minirpc.benchmark.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CountingProxyTest {

  @Test
  void countsTheBytesForwardedEachWay() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // The server answers every byte it reads with two.
      Thread doubler =
          new Thread(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream()) {
                  int b;
                  while ((b = in.read()) != -1) {
                    out.write(new byte[] {(byte) b, (byte) b});
                  }
                } catch (IOException e) {
                  // The test closed the connection.
                }
              });
      doubler.setDaemon(true);
      doubler.start();

      try (CountingProxy proxy = CountingProxy.start(server.getLocalPort());
          Socket caller = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        byte[] request = new byte[100];
        Arrays.fill(request, (byte) 7);
        caller.getOutputStream().write(request);
        byte[] answer = new byte[200];
        new DataInputStream(caller.getInputStream()).readFully(answer);

        assertThat(proxy.bytesUp()).isEqualTo(100);
        assertThat(proxy.bytesDown()).isEqualTo(200);
      }
    }
  }
}
