package io.vxcable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vxcable.testkit.RawHttp;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies read within limits on a real listener, driven by a raw socket so the test controls when
 * each byte leaves: the server answers a refused request while its body is still coming.
 */
class BoundedBodyTest {

  static final int LIMIT = 1000;

  Vertx vertx;
  int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    PublishCheck check = new PublishCheck("k");
    HttpServer server = vertx.createHttpServer(ListenerOptions.harden(new HttpServerOptions().setHost("127.0.0.1"), HttpLimits.DEFAULTS))
        .connectionHandler(conn -> ConnectionGuard.install(conn, HttpLimits.DEFAULTS))
        .requestHandler(req -> {
          int refused = check.status(req.method().name(), req.getHeader("Authorization"));
          if (refused != 0) {
            BoundedBody.reject(req, refused);
            return;
          }
          BoundedBody.read(req, LIMIT).onComplete(body -> {
            if (body.failed()) {
              BoundedBody.reject(req, BoundedBody.statusOf(body.cause()));
            } else {
              req.response().setStatusCode(201).end("read " + body.result().length());
            }
          });
        });
    port = server.listen(0).await(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String post(String auth, int length) {
    return "POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth + "\r\nContent-Length: " + length + "\r\n\r\n";
  }

  @Test
  void aBodyWithinTheLimitIsRead() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send(post("Bearer k", 1000) + "x".repeat(1000));
      assertThat(s.response()).startsWith("HTTP/1.1 201").endsWith("read 1000");
    }
  }

  @Test
  void anAnnouncedBodyOverTheLimitIsRefusedBeforeAByteOfItIsSent() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send(post("Bearer k", 100_000_000));
      String r = s.response();
      assertThat(r).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
    }
  }

  @Test
  void aChunkedBodyIsCutWhenItCrossesTheLimit() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send("POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "1f4\r\n" + "y".repeat(500) + "\r\n";
      s.send(chunk + chunk + chunk);
      assertThat(s.response()).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void aChunkedBodyUpToTheLimitIsRead() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send("POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "1f4\r\n" + "y".repeat(500) + "\r\n";
      s.send(chunk + chunk + "0\r\n\r\n");
      assertThat(s.response()).startsWith("HTTP/1.1 201").endsWith("read 1000");
    }
  }

  @Test
  void aWrongKeyIsAnsweredAtOnceWhileAHugeBodyIsStillComing() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send(post("Bearer wrong", 100_000_000));
      s.send("z".repeat(64 * 1024));
      // The answer comes although 99.9 MB are still to be sent, and it is not lost to a reset.
      assertThat(s.response()).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
      assertThat(s.closedByServer()).as("then the server closes the connection").isTrue();
    }
  }

  @Test
  void aSmallRefusedBodyIsDroppedAndTheConnectionStaysUsable() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send(post("Bearer wrong", 10) + "0123456789");
      assertThat(s.response()).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("connection: close");
      s.send(post("Bearer k", 3) + "abc");
      assertThat(s.response()).startsWith("HTTP/1.1 201").endsWith("read 3");
    }
  }

  @Test
  void aClientThatAsksBeforeSendingIsToldToGoOnOrToStop() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send("POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
      assertThat(s.response()).startsWith("HTTP/1.1 100 Continue");
      s.send("abc");
      assertThat(s.response()).startsWith("HTTP/1.1 201").endsWith("read 3");
    }
    try (RawHttp s = RawHttp.connect(port)) {
      s.send("POST /p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer no\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
      assertThat(s.response()).as("the final answer at once, the body never sent").startsWith("HTTP/1.1 401")
          .containsIgnoringCase("connection: close");
    }
  }

  @Test
  void anotherMethodIsAnswered422() throws Exception {
    try (RawHttp s = RawHttp.connect(port)) {
      s.send("GET /p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n");
      assertThat(s.response()).startsWith("HTTP/1.1 422");
    }
  }
}
