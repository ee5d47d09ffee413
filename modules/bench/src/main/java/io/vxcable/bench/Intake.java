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
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code intake}: how many publications per second a broadcast adapter takes in and delivers. One
 * subscribed client; {@code --publications} numbered publications sent as fast as the adapter
 * accepts them ({@code --via http}: POSTs, {@code --in-flight} at a time; {@code --via redis}:
 * pipelined {@code PUBLISH}es in batches of {@code --in-flight}; {@code --via redisx}: pipelined
 * {@code XADD ... payload}; {@code --via nats}: the Java NATS client's publishes), timed from the
 * first send to the last delivery.
 */
final class Intake {

  private final Vertx vertx;
  private final Options o;

  Intake(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int count = o.integer("publications", 20_000);
    int inFlight = o.integer("in-flight", 64);
    String via = o.string("via", "http");
    String stream = o.string("stream", "intake");
    AtomicLong delivered = new AtomicLong();
    Promise<Void> all = Promise.promise();
    Clients pool = new Clients(vertx, o.string("url", "ws://127.0.0.1:8080/cable"), Protocol.ACTIONCABLE, stream, List.of());
    pool.connect(1, 1, frame -> {
      if (Protocol.ACTIONCABLE.delivery(frame) && delivered.incrementAndGet() == count) {
        all.tryComplete();
      }
    }).await(60, TimeUnit.SECONDS);
    Thread.sleep(o.integer("settle-ms", 1000));
    long t0 = System.nanoTime();
    int errors = switch (via) {
      case "http" -> http(stream, count, inFlight).await(10, TimeUnit.MINUTES);
      case "redis", "redisx" -> redis(stream, count, inFlight, via.equals("redisx")).await(10, TimeUnit.MINUTES);
      case "nats" -> nats(stream, count);
      default -> throw new IllegalArgumentException("--via must be http, redis, redisx or nats");
    };
    double sent = (System.nanoTime() - t0) / 1e9;
    all.future().await(o.integer("drain-seconds", 60), TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown().await(30, TimeUnit.SECONDS);
    return new JsonObject().put("mode", "intake").put("target", o.string("target", "vxcable")).put("via", via)
        .put("publications", count).put("errors", errors).put("delivered", delivered.get())
        .put("send_seconds", Fanout.round(sent)).put("seconds", Fanout.round(seconds))
        .put("publications_per_s", Math.round(delivered.get() / seconds));
  }

  /** Publishes on {@code --nats-channel} with the Java NATS client (it buffers and flushes itself). */
  private int nats(String stream, int count) throws Exception {
    try (io.nats.client.Connection c = io.nats.client.Nats.connect(o.string("nats-url", "nats://127.0.0.1:4222"))) {
      String subject = o.string("nats-channel", "__anycable__");
      for (long seq = 1; seq <= count; seq++) {
        c.publish(subject, Payload.publication(stream, seq, System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      c.flush(java.time.Duration.ofSeconds(30));
    }
    return 0;
  }

  private Future<Integer> http(String stream, int count, int inFlight) {
    URI url = URI.create(o.string("broadcast-url", "http://127.0.0.1:8090/_broadcast"));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(inFlight));
    Promise<Integer> done = Promise.promise();
    AtomicLong next = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Runnable[] send = new Runnable[1];
    send[0] = () -> {
      long seq = next.incrementAndGet();
      if (seq > count) {
        return;
      }
      http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
              .setURI(url.getRawPath()))
          .compose(r -> r.send(Buffer.buffer(Payload.publication(stream, seq, System.nanoTime()))))
          .onComplete(ar -> {
            if (ar.failed() || ar.result().statusCode() >= 300) {
              errors.incrementAndGet();
            }
            if (finished.incrementAndGet() == count) {
              done.tryComplete((int) errors.get());
            } else {
              send[0].run();
            }
          });
    };
    for (int i = 0; i < inFlight; i++) {
      vertx.runOnContext(v -> send[0].run());
    }
    return done.future().eventually(http::close);
  }

  private Future<Integer> redis(String stream, int count, int batch, boolean streams) {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(o.string("redis-url", "redis://127.0.0.1:6379")));
    String channel = o.string(streams ? "redisx-stream" : "redis-channel", "__anycable__");
    return client.connect().compose(conn -> {
      Promise<Integer> done = Promise.promise();
      AtomicLong next = new AtomicLong();
      Runnable[] sendBatch = new Runnable[1];
      sendBatch[0] = () -> {
        List<Request> requests = new ArrayList<>(batch);
        while (requests.size() < batch && next.get() < count) {
          long seq = next.incrementAndGet();
          String body = Payload.publication(stream, seq, System.nanoTime());
          requests.add(streams ? Request.cmd(Command.XADD).arg(channel).arg("*").arg("payload").arg(body)
              : Request.cmd(Command.PUBLISH).arg(channel).arg(body));
        }
        if (requests.isEmpty()) {
          done.tryComplete(0);
          return;
        }
        conn.batch(requests).onSuccess(r -> sendBatch[0].run()).onFailure(done::tryFail);
      };
      sendBatch[0].run();
      return done.future().eventually(conn::close);
    }).eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }
}
