package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code drops}: clients behind an in-process TCP proxy that cuts every connection for
 * {@code --cut-ms} every {@code --cut-every-ms} while a numbered sequence is broadcast. Clients
 * reconnect after 250 ms. With {@code --protocol actioncable-ext} they resume by {@code ?sid=} and
 * ask for history from the last offset they saw (what {@code @anycable/core} does); plain
 * {@code actioncable}, {@code ws} and {@code socketio} clients just reconnect (and resubscribe).
 * Result: the share of the sequence each client ended up with.
 */
final class Drops {

  private final Vertx vertx;
  private final Options o;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile boolean finished;

  Drops(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 100);
    int broadcasts = o.integer("broadcasts", 100);
    double rate = o.decimal("rate", 10);
    int cutEvery = o.integer("cut-every-ms", 3000);
    int cutMs = o.integer("cut-ms", 2000);
    String protocolName = o.string("protocol", "actioncable-ext");
    boolean ext = protocolName.equals("actioncable-ext");
    Protocol protocol = Protocol.of(ext ? "actioncable" : protocolName);
    String stream = o.string("stream", "drops-" + System.currentTimeMillis());
    URI target = URI.create(o.string("url", "ws://127.0.0.1:8080/cable"));

    NetClient upstream = vertx.createNetClient();
    NetServer proxy = vertx.createNetServer().connectHandler(client -> {
      if (down) {
        client.close();
        return;
      }
      client.pause();
      upstream.connect(target.getPort(), target.getHost()).onComplete(ar -> {
        if (ar.failed() || down) {
          client.close();
          return;
        }
        NetSocket server = ar.result();
        open.add(client);
        open.add(server);
        client.handler(server::write);
        server.handler(client::write);
        client.closeHandler(v -> {
          open.remove(client);
          server.close();
        });
        server.closeHandler(v -> {
          open.remove(server);
          client.close();
        });
        client.resume();
      });
    });
    int proxyPort = proxy.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE));
    String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    List<DropClient> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      all.add(new DropClient(ws, proxyPort, path, protocol, ext, stream));
    }
    for (DropClient c : all) {
      c.connect();
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (all.stream().anyMatch(c -> !c.subscribed) && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    long subscribed = all.stream().filter(c -> c.subscribed).count();

    // Cut on a schedule while publishing; the first cut comes after one period.
    long cutter = vertx.setPeriodic(cutEvery, id -> {
      down = true;
      for (NetSocket s : open) {
        s.close();
      }
      vertx.setTimer(cutMs, t -> down = false);
    });
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    URI broadcastUrl = URI.create(o.string("broadcast-url", "http://127.0.0.1:8090/_broadcast"));
    int errors = 0;
    long t0 = System.nanoTime();
    for (int seq = 1; seq <= broadcasts; seq++) {
      long due = t0 + (long) ((seq - 1) / rate * 1e9);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      String body = Payload.publication(stream, seq, System.nanoTime());
      try {
        int status = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(broadcastUrl.getHost())
                .setPort(broadcastUrl.getPort()).setURI(broadcastUrl.getRawPath()).putHeader("Content-Type", "application/json"))
            .compose(r -> r.send(Buffer.buffer(body))).await(10, TimeUnit.SECONDS).statusCode();
        if (status >= 300) {
          errors++;
        }
      } catch (Exception e) {
        errors++;
      }
    }
    vertx.cancelTimer(cutter);
    down = false;
    int expected = broadcasts - errors;
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("drain-seconds", 20));
    while (all.stream().anyMatch(c -> c.seen.size() < expected) && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    finished = true;
    long total = 0;
    int complete = 0;
    double worst = 1;
    int reconnects = 0;
    int restores = 0;
    for (DropClient c : all) {
      int got = (int) c.seen.stream().filter(s -> s <= broadcasts).count();
      total += got;
      complete += got >= expected ? 1 : 0;
      worst = Math.min(worst, expected == 0 ? 1 : (double) got / expected);
      reconnects += c.connects - 1;
      restores += c.restores;
      c.close();
    }
    http.close();
    proxy.close();
    return new JsonObject().put("mode", "drops").put("target", o.string("target", "vxcable")).put("protocol", protocolName)
        .put("clients", clients).put("subscribed", subscribed).put("broadcasts", broadcasts).put("publish_errors", errors)
        .put("rate_per_s", rate).put("cut_every_ms", cutEvery).put("cut_ms", cutMs).put("reconnects", reconnects)
        .put("restored_sessions", restores)
        .put("delivered_ratio", Fanout.round(clients == 0 || expected == 0 ? 0 : (double) total / ((long) clients * expected)))
        .put("worst_client_ratio", Fanout.round(worst)).put("clients_with_everything", complete);
  }

  /** One client that keeps coming back, remembering its session id and stream position. */
  private final class DropClient {

    final WebSocketClient client;
    final int port;
    final String path;
    final Protocol protocol;
    final boolean ext;
    final String stream;
    final String identifier;
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    volatile boolean subscribed;
    volatile WebSocket socket;
    String sid;
    String epoch;
    long offset;
    int connects;
    int restores;

    DropClient(WebSocketClient client, int port, String path, Protocol protocol, boolean ext, String stream) {
      this.client = client;
      this.port = port;
      this.path = path;
      this.protocol = protocol;
      this.ext = ext;
      this.stream = stream;
      this.identifier = Protocol.quote(Protocol.identifier(stream));
    }

    void connect() {
      if (finished) {
        return;
      }
      String uri = path + (ext && sid != null ? (path.contains("?") ? "&" : "?") + "sid=" + sid : "");
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
      if (protocol == Protocol.ACTIONCABLE) {
        options.addSubProtocol(ext ? "actioncable-v1-ext-json" : "actioncable-v1-json");
      }
      Future<WebSocket> f = client.connect(options);
      f.onSuccess(s -> {
        socket = s;
        connects++;
        s.textMessageHandler(this::frame);
        s.closeHandler(v -> retry());
        if (protocol == Protocol.WS) {
          subscribed = true;
        }
      }).onFailure(err -> retry());
    }

    void retry() {
      if (!finished) {
        vertx.setTimer(250, id -> connect());
      }
    }

    void frame(String frame) {
      if (protocol.control(socket, frame)) {
        return;
      }
      if (protocol == Protocol.SOCKETIO && frame.startsWith("40")) {
        subscribed = true;
        return;
      }
      if (protocol == Protocol.ACTIONCABLE) {
        if (frame.contains("\"type\":\"welcome\"")) {
          welcome(frame);
          return;
        }
        if (frame.contains("\"confirm_subscription\"")) {
          subscribed = true;
          return;
        }
      }
      if (!protocol.delivery(frame)) {
        return;
      }
      long seq = Payload.field(frame, "seq");
      if (seq > 0) {
        seen.add(seq);
      }
      long off = Payload.field(frame, "offset");
      if (off > offset) {
        offset = off;
        epoch = string(frame, "epoch");
      }
    }

    void welcome(String frame) {
      String newSid = string(frame, "sid");
      boolean restored = frame.contains("\"restored\":true");
      if (ext && newSid != null) {
        sid = newSid;
      }
      if (restored) {
        restores++;
        if (epoch != null) {
          socket.writeTextMessage("{\"command\":\"history\",\"identifier\":" + identifier + ",\"history\":" + position() + "}");
        }
        return;
      }
      String history = ext && epoch != null ? ",\"history\":" + position() : "";
      socket.writeTextMessage("{\"command\":\"subscribe\",\"identifier\":" + identifier + history + "}");
    }

    String position() {
      return "{\"streams\":{" + Protocol.quote(stream) + ":{\"epoch\":" + Protocol.quote(epoch) + ",\"offset\":" + offset + "}}}";
    }

    void close() {
      WebSocket s = socket;
      if (s != null) {
        s.close();
      }
    }
  }

  /** The string value of a top-level-looking {@code "key":"value"}, or null. */
  static String string(String frame, String key) {
    String needle = "\"" + key + "\":\"";
    int i = frame.indexOf(needle);
    if (i < 0) {
      return null;
    }
    int start = i + needle.length();
    int end = frame.indexOf('"', start);
    return end < 0 ? null : frame.substring(start, end);
  }
}
