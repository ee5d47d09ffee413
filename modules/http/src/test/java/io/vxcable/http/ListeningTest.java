package io.vxcable.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListeningTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aTakenPortIsNamedWithWhatListensAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
          .requestHandler(req -> req.response().end());
      CompletableFuture<HttpServer> listening =
          Listening.listen(server, "127.0.0.1", port, "WebSocket clients", "--port").toCompletionStage().toCompletableFuture();
      ExecutionException failed = assertThrows(ExecutionException.class, () -> listening.get(10, TimeUnit.SECONDS));
      assertThat(failed.getCause()).isInstanceOf(IllegalStateException.class);
      assertThat(failed.getCause().getMessage()).isEqualTo("cannot listen on 127.0.0.1:" + port
          + " for WebSocket clients: the address is already in use (another process listens there; choose another with --port)");
    }
  }

  @Test
  void otherCausesAreKeptAsTheyAre() {
    assertThat(Listening.message("10.9.9.9", 8080, "the broadcast intake", "--http_broadcast_port",
        new RuntimeException("Cannot assign requested address")))
        .isEqualTo("cannot listen on 10.9.9.9:8080 for the broadcast intake: no interface of this machine has that address (check --host)");
    assertThat(Listening.message("h", 1, "x", "--port", new RuntimeException("boom")))
        .isEqualTo("cannot listen on h:1 for x: boom");
  }
}
