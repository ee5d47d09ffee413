package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TLS and the connection cap of the main listener. */
class ListenerOptionsTest extends GatewayCase {

  static String resource(String name) {
    return Path.of("src/test/resources/tls", name).toAbsolutePath().toString();
  }

  @Test
  void sslCertAndKeyServeWebSocketsOverTls() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port)
        .put("ssl_cert", resource("cert.pem")).put("ssl_key", resource("key.pem")));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true).setTrustAll(true).setVerifyHost(false));
    StringBuilder first = new StringBuilder();
    io.vertx.core.http.ClientWebSocket socket = client.webSocket();
    socket.textMessageHandler(t -> {
      synchronized (first) {
        first.append(t);
        first.notifyAll();
      }
    });
    WebSocket ws = socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/cable")
            .setSsl(true).setSubProtocols(List.of("actioncable-v1-json")))
        .await(10, TimeUnit.SECONDS);
    synchronized (first) {
      long deadline = System.currentTimeMillis() + 10_000;
      while (first.length() == 0 && System.currentTimeMillis() < deadline) {
        first.wait(200);
      }
    }
    assertThat(new JsonObject(first.toString()).getString("type")).isEqualTo("welcome");
    ws.close();
    Throwable plain = vertx.createWebSocketClient().connect(port, "127.0.0.1", "/cable")
        .map(w -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(plain).as("a plain-text client cannot talk to the TLS listener").isNotNull();
  }

  @Test
  void aTlsHandshakeThatNeverComesIsClosedByTheHeadDeadline() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("http_read_header_timeout", 1)
        .put("ssl_cert", resource("cert.pem")).put("ssl_key", resource("key.pem")));
    try (io.vxcable.testkit.RawHttp silent = io.vxcable.testkit.RawHttp.connect(port)) {
      // No ClientHello: the server gives up after the head's deadline (the socket's own timeout is 10 s).
      assertThat(silent.closedByServer()).isTrue();
    }
  }

  @Test
  void maxConnClosesConnectionsBeyondTheCap() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("max-conn", 1));
    try (TestClient first = TestClient.connect(vertx, port)) {
      assertThat(first.nextJson().getString("type")).isEqualTo("welcome");
      Throwable second = vertx.createWebSocketClient().connect(port, "127.0.0.1", "/cable")
          .map(w -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
      assertThat(second).as("the second connection is refused").isNotNull();
    }
    // Once the upgraded connection has gone, its slot is free again.
    String type = Eventually.eventually(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
      try (TestClient again = TestClient.connect(vertx, port)) {
        return again.nextJson().getString("type");
      }
    });
    assertThat(type).as("a connection after the first one closed").isEqualTo("welcome");
  }
}
