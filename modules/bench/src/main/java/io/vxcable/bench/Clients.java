package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Opens many subscribed clients, a bounded number at a time, spreading them over the given local
 * source addresses (each 127.0.0.x has its own ~28k ephemeral ports).
 */
final class Clients {

  private final Vertx vertx;
  private final URI url;
  private final Protocol protocol;
  private final String stream;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<WebSocket> open = new ArrayList<>();
  final AtomicInteger failed = new AtomicInteger();

  Clients(Vertx vertx, String url, Protocol protocol, String stream, List<String> localAddresses) {
    this(vertx, url, protocol, stream, localAddresses, false);
  }

  /** {@code compress}: offer permessage-deflate (the server needs {@code --enable_ws_compression}). */
  Clients(Vertx vertx, String url, Protocol protocol, String stream, List<String> localAddresses, boolean compress) {
    this.vertx = vertx;
    this.url = URI.create(url);
    this.protocol = protocol;
    this.stream = stream;
    List<String> sources = localAddresses.isEmpty() ? java.util.Collections.singletonList(null) : localAddresses;
    for (String source : sources) {
      WebSocketClientOptions o = new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
          .setConnectTimeout(30_000).setMaxFrameSize(1 << 20).setSendUnmaskedFrames(false)
          .setTryUsePerMessageCompression(compress);
      if (source != null) {
        o.setLocalAddress(source);
      }
      clients.add(vertx.createWebSocketClient(o));
    }
  }

  List<WebSocket> sockets() {
    return open;
  }

  /**
   * Connects {@code n} clients, at most {@code concurrency} handshakes at a time; each one counts
   * as connected once the protocol says it is subscribed. Text frames go to {@code onFrame}.
   */
  Future<Void> connect(int n, int concurrency, Consumer<String> onFrame) {
    return Bounded.run(vertx, n, concurrency, i -> connectOne(i, onFrame), failed);
  }

  private Future<Void> connectOne(int i, Consumer<String> onFrame) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    if (protocol.subProtocol != null) {
      o.addSubProtocol(protocol.subProtocol);
    }
    Promise<Void> ready = Promise.promise();
    return clients.get(i % clients.size()).connect(o).compose(ws -> {
      ws.textMessageHandler(frame -> {
        if (protocol.control(ws, frame)) {
          return;
        }
        if (!ready.future().isComplete()) {
          if (protocol.ready(frame)) {
            ready.tryComplete();
          }
          return;
        }
        onFrame.accept(frame);
      });
      ws.closeHandler(v -> ready.tryFail("closed before subscribing"));
      synchronized (open) {
        open.add(ws);
      }
      protocol.start(ws, stream);
      if (protocol == Protocol.WS) {
        ready.tryComplete();
      }
      return ready.future();
    });
  }

  /** Closes the sockets, then the clients' connection pools. */
  Future<Void> shutdown() {
    return close().eventually(() -> Future.join(clients.stream().map(WebSocketClient::close).toList()).mapEmpty());
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (open) {
      for (WebSocket ws : open) {
        closing.add(ws.close());
      }
    }
    return Future.join(closing).mapEmpty();
  }
}
