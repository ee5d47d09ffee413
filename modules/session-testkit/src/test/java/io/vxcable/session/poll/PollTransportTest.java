package io.vxcable.session.poll;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.observability.Metrics;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.Transport;
import io.vxcable.session.testkit.TransportContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The long-polling transport under the transport contract, on a real HTTP listener: each session is
 * opened by a first request ({@code --public}), the peer is a client whose {@link Peer#flush} is a
 * poll, and a closed transport is one whose poll ID is answered 401. The contract calls the
 * transport from the test thread; every call is made on the session's context, as the engine does.
 */
class PollTransportTest extends TransportContract {

  private Vertx vertx;
  private Context context;
  private HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void listen() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    Settings settings = ConfigResolver.fromCommandLine(List.of("--public", "--poll", "--poll_interval=1"), Map.of(),
        Path.of("/nonexistent")).settings();
    server = onContext(() -> {
      SessionEngine engine = SessionEngine.create(vertx.eventBus(), SessionOptions.from(settings));
      engine.attach(vertx);
      EndpointContext ec = new EndpointContext(vertx, engine, settings, new AllowedOrigins(List.of()), Map.of());
      LongPollingEndpoint endpoint = (LongPollingEndpoint) new LongPollingProvider().endpoints(ec).get(0);
      return vertx.createHttpServer().requestHandler(endpoint);
    });
    onContext(() -> server.listen(0, "127.0.0.1")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private <T> T onContext(Supplier<T> call) {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        f.complete(call.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void onContext(Runnable call) {
    onContext(() -> {
      call.run();
      return null;
    });
  }

  private HttpResponse<String> post(String pollId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/lp"))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (pollId != null) {
      b.header(LongPollingEndpoint.POLL_ID, pollId);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected Opened open() {
    String id = post(null).headers().firstValue(LongPollingEndpoint.POLL_ID).orElseThrow();
    PollSession session = PollRegistry.of(vertx, Metrics.NOOP).get(id);
    return new Opened(new OnContext(session), new PollingPeer(id));
  }

  /** The transport, called on its session's context. */
  private final class OnContext implements Transport {
    private final PollSession t;

    OnContext(PollSession t) {
      this.t = t;
    }

    @Override
    public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
      onContext(() -> t.writeFrame(bytes, binary, done));
    }

    @Override
    public boolean supportsBinary() {
      return t.supportsBinary();
    }

    @Override
    public void writeNativePing() {
      onContext(t::writeNativePing);
    }

    @Override
    public void pause() {
      onContext(t::pause);
    }

    @Override
    public void resume() {
      onContext(t::resume);
    }

    @Override
    public void close(int code, String reason) {
      onContext(() -> t.close(code, reason));
    }

    @Override
    public void terminate() {
      onContext(t::terminate);
    }

    @Override
    public boolean isClosed() {
      return onContext(t::isClosed);
    }
  }

  /** A client polling with the session's ID: each line of a 200 answer is a frame; a 401 means closed. */
  private final class PollingPeer implements Peer {
    private final String id;
    private final List<Frame> frames = new ArrayList<>();
    private boolean closed;

    PollingPeer(String id) {
      this.id = id;
    }

    @Override
    public List<Frame> received() {
      return frames;
    }

    @Override
    public void flush() {
      HttpResponse<String> r = post(id);
      if (r.statusCode() == 401) {
        closed = true;
      } else {
        for (String line : r.body().split("\n")) {
          if (!line.isEmpty()) {
            frames.add(new Frame(false, line.getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
      // The writes' outcomes are told on the session's context once the answer was written.
      onContext(() -> { });
    }

    @Override
    public boolean closed() {
      // A closing session first answers what it still holds (200), and only a later poll gets 401:
      // poll on like a client would, a bounded number of times.
      for (int i = 0; i < 5 && !closed; i++) {
        flush();
      }
      return closed;
    }

    @Override
    public int closeCode() {
      return -1;
    }
  }
}
