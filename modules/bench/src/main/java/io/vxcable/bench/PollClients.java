package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many long-polling clients ({@code POST <url>}, JSON lines): each one subscribes to
 * {@code $pubsub} {@code <stream>} in its first request, then polls again as soon as an answer
 * comes, so a poll is always waiting on the server; one counts once its confirmation arrived. Used
 * by {@code idle --transport poll}.
 */
final class PollClients {

  private final Vertx vertx;
  private final URI url;
  private final String subscribe;
  private final List<HttpClient> clients = new ArrayList<>();
  private volatile boolean stopped;
  final AtomicInteger failed = new AtomicInteger();

  PollClients(Vertx vertx, String url, String stream, List<String> localAddresses) {
    this.vertx = vertx;
    this.url = URI.create(url);
    String identifier = new JsonObject().put("channel", "$pubsub").put("stream_name", stream).encode();
    this.subscribe = new JsonObject().put("command", "subscribe").put("identifier", identifier).encode() + "\n";
    List<String> sources = localAddresses.isEmpty() ? java.util.Collections.singletonList(null) : localAddresses;
    for (String source : sources) {
      HttpClientOptions o = new HttpClientOptions().setConnectTimeout(30_000).setKeepAlive(true).setIdleTimeout(0);
      if (source != null) {
        o.setLocalAddress(source);
      }
      clients.add(vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(1_000_000).setMaxWaitQueueSize(-1)));
    }
  }

  /** Starts {@code n} clients, at most {@code concurrency} first requests at a time. */
  Future<Void> connect(int n, int concurrency) {
    return Bounded.run(vertx, n, concurrency, i -> {
      Promise<Void> ready = Promise.promise();
      poll(clients.get(i % clients.size()), null, subscribe, ready);
      return ready.future();
    }, failed);
  }

  /** One request; the next one follows its answer (the first answer carries the poll ID). */
  private void poll(HttpClient client, String pollId, String body, Promise<Void> ready) {
    if (stopped) {
      return;
    }
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath()).setIdleTimeout(0);
    if (pollId != null) {
      o.putHeader("X-Anycable-Poll-ID", pollId);
    }
    client.request(o).compose(req -> req.send(Buffer.buffer(body))).compose(res -> {
      if (res.statusCode() != 200) {
        return Future.failedFuture("status " + res.statusCode());
      }
      String id = pollId != null ? pollId : res.getHeader("X-Anycable-Poll-ID");
      return res.body().map(b -> {
        if (b.toString().contains("confirm_subscription")) {
          ready.tryComplete();
        }
        return id;
      });
    }).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        ready.tryFail(ar.failed() ? ar.cause() : new IllegalStateException("no poll ID"));
        return;
      }
      poll(client, ar.result(), "", ready);
    });
  }

  /** Stops polling and closes the clients (waiting polls are cut). */
  Future<Void> close() {
    stopped = true;
    return Future.join(clients.stream().map(HttpClient::close).toList()).mapEmpty();
  }
}
