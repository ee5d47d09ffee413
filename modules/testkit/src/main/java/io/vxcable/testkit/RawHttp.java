package io.vxcable.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for tests that must control every byte: what is sent, when, and
 * whether the rest of a body ever comes. Reads are bounded by a 10 s socket timeout.
 */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  public static RawHttp connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return new RawHttp(s);
  }

  /** One exchange on a fresh connection: sends {@code request}, returns the first response. */
  public static String exchange(int port, String request) throws IOException {
    try (RawHttp http = connect(port)) {
      http.send(request);
      return http.response();
    }
  }

  public RawHttp send(String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Sends raw bytes (a body that is not text, or garbage). */
  public RawHttp send(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Half-closes: the server sees the end of the stream, the answer can still be read. */
  public RawHttp finishSending() throws IOException {
    socket.shutdownOutput();
    return this;
  }

  /**
   * The next response: its head, then as many body bytes as {@code Content-Length} says (none
   * without it); empty when the server closed (or reset) the connection without answering.
   */
  public String response() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b;
      try {
        b = in.read();
      } catch (java.net.SocketException reset) {
        // The server reset the connection: what arrived before is the answer.
        b = -1;
      }
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  /** Whether the server closed the connection (the next read ends the stream). */
  public boolean closedByServer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
