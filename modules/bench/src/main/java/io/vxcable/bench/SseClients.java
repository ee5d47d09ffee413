package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many open Server-Sent Events streams ({@code GET <url>?stream=<stream>}, each on its own
 * connection), a bounded number being opened at a time; one counts once its
 * {@code confirm_subscription} event arrived. Used by {@code idle --transport sse}.
 */
final class SseClients {

  private final Vertx vertx;
  private final URI url;
  private final String stream;
  private final List<HttpClient> clients = new ArrayList<>();
  private final List<HttpClientRequest> open = new ArrayList<>();
  final AtomicInteger failed = new AtomicInteger();

  SseClients(Vertx vertx, String url, String stream, List<String> localAddresses) {
    this.vertx = vertx;
    this.url = URI.create(url);
    this.stream = stream;
    List<String> sources = localAddresses.isEmpty() ? java.util.Collections.singletonList(null) : localAddresses;
    for (String source : sources) {
      HttpClientOptions o = new HttpClientOptions().setConnectTimeout(30_000).setKeepAlive(true).setIdleTimeout(0);
      if (source != null) {
        o.setLocalAddress(source);
      }
      clients.add(vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(1_000_000).setMaxWaitQueueSize(-1)));
    }
  }

  /** Opens {@code n} streams, at most {@code concurrency} at a time. */
  Future<Void> connect(int n, int concurrency) {
    return Bounded.run(vertx, n, concurrency, this::openOne, failed);
  }

  private Future<Void> openOne(int i) {
    String sep = url.getRawQuery() == null ? "?" : "?" + url.getRawQuery() + "&";
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath() + sep + "stream=" + stream);
    Promise<Void> ready = Promise.promise();
    return clients.get(i % clients.size()).request(o).compose(req -> {
      synchronized (open) {
        open.add(req);
      }
      return req.send();
    }).compose(res -> {
      if (res.statusCode() != 200) {
        return Future.failedFuture("status " + res.statusCode());
      }
      StringBuilder seen = new StringBuilder();
      res.handler(chunk -> {
        if (!ready.future().isComplete()) {
          seen.append(chunk.toString());
          if (seen.indexOf("event: confirm_subscription") >= 0) {
            ready.tryComplete();
          }
        }
      });
      res.exceptionHandler(ready::tryFail);
      res.endHandler(v -> ready.tryFail("ended before subscribing"));
      return ready.future();
    });
  }

  /** Resets every stream, then closes the clients. */
  Future<Void> close() {
    synchronized (open) {
      for (HttpClientRequest r : open) {
        r.connection().close();
      }
    }
    return Future.join(clients.stream().map(HttpClient::close).toList()).mapEmpty();
  }
}
