package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vxcable.backends.RedisSettings;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * anycable-go's {@code redisx} broadcast adapter: publications are entries of a Redis Stream
 * ({@code XADD <redisx_stream> * payload <json>}) read through the consumer group {@code bx}, so
 * each entry is handled by one node of the cluster, at least once:
 * <ol>
 *   <li>{@code XGROUP CREATE <stream> <group> $ MKSTREAM} (an existing group is kept);</li>
 *   <li>at most every {@code block} ms, {@code XAUTOCLAIM} takes over entries another consumer
 *       (a dead node) left pending longer than {@code block} ms, and handles them first;</li>
 *   <li>{@code XREADGROUP ... BLOCK <block> COUNT 100 STREAMS <stream> >} for new entries;</li>
 *   <li>an entry is acknowledged and deleted ({@code XACK} + {@code XDEL}) only once its
 *       publication was handled (with a broker: stored); a failure leaves it pending, to be
 *       claimed again.</li>
 * </ol>
 * A malformed entry (no {@code payload}, or a body that does not parse) is counted, acknowledged
 * and deleted, so it cannot come back forever (anycable-go leaves it pending). Connection loss is
 * retried with the {@code redis} adapter's backoff, for as long as it takes. On stop the consumer
 * is removed from the group only when it holds no pending entry (removing it would drop them).
 */
final class RedisStreamIntake {

  private static final Logger LOG = Logger.getLogger(RedisStreamIntake.class.getName());
  private static final int COUNT = 100;
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** What became of one entry's payload. */
  enum Outcome { HANDLED, MALFORMED, FAILED }

  private final Vertx vertx;
  private final Redis client;
  private final RedisSettings settings;
  private final String stream;
  private final String group;
  private final String consumer;
  private final long blockMs;
  /** The payloads of one read, in stream order, to their outcomes in the same order. */
  private final Function<List<byte[]>, Future<List<Outcome>>> handler;
  private RedisConnection connection;
  private boolean stopped;
  private final Reconnects reconnects;
  private long lastClaim;
  private volatile long handled;
  private volatile long malformed;
  private Future<Void> loop = Future.succeededFuture();

  RedisStreamIntake(Vertx vertx, RedisSettings settings, String stream, String group, long blockMs,
      Function<List<byte[]>, Future<List<Outcome>>> handler) {
    this.vertx = vertx;
    this.settings = settings;
    this.stream = stream;
    this.group = group;
    this.blockMs = Math.max(100, blockMs);
    this.handler = handler;
    this.consumer = randomName();
    this.client = Redis.createClient(vertx, settings.options());
    this.reconnects = new Reconnects(vertx, "redisx");
  }

  String consumer() {
    return consumer;
  }

  long handled() {
    return handled;
  }

  long malformed() {
    return malformed;
  }

  void start() {
    connect();
  }

  /** Stops reading, waits for the entries in hand, then leaves the group if nothing is pending. */
  Future<Void> stop() {
    stopped = true;
    reconnects.cancel();
    RedisConnection c = connection;
    return loop.otherwiseEmpty().compose(v -> {
      if (c == null) {
        return Future.succeededFuture();
      }
      return c.send(Request.cmd(Command.XPENDING).arg(stream).arg(group).arg("-").arg("+").arg(1).arg(consumer))
          .compose(pending -> pending.size() == 0
              ? c.send(Request.cmd(Command.XGROUP).arg("DELCONSUMER").arg(stream).arg(group).arg(consumer)).mapEmpty()
              : Future.<Void>succeededFuture())
          .otherwiseEmpty()
          .eventually(c::close);
    }).eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  private void connect() {
    if (stopped) {
      return;
    }
    client.connect()
        .compose(c -> c.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg("$").arg("MKSTREAM"))
            .recover(err -> err.getMessage() != null && err.getMessage().startsWith("BUSYGROUP")
                ? Future.succeededFuture() : Future.failedFuture(err))
            .map(c))
        .onSuccess(c -> {
          if (stopped) {
            c.close();
            return;
          }
          connection = c;
          c.exceptionHandler(err -> LOG.fine(() -> "redisx: " + err.getMessage()));
          int failed = reconnects.connected();
          LOG.info(() -> "redisx broadcast adapter: consuming " + stream + " as " + group + "/" + consumer
              + (failed > 0 ? " again after " + failed + " attempts" : " at " + settings.redacted()));
          lastClaim = 0;
          next(c);
        })
        .onFailure(err -> retry(err.getMessage()));
  }

  /** One turn of the loop: claim what dead consumers left (now and then), else read new entries. */
  private void next(RedisConnection c) {
    if (stopped || connection != c) {
      return;
    }
    long now = System.currentTimeMillis();
    Future<Void> turn;
    if (now - lastClaim >= blockMs) {
      lastClaim = now;
      turn = c.send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(group).arg(consumer).arg(blockMs).arg("0-0")
              .arg("COUNT").arg(COUNT))
          .compose(r -> handle(c, r == null || r.size() < 2 ? null : r.get(1)));
    } else {
      turn = c.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(COUNT)
              .arg("BLOCK").arg(blockMs).arg("STREAMS").arg(stream).arg(">"))
          .compose(r -> handle(c, entriesOf(r)));
    }
    loop = turn;
    turn.onSuccess(v -> next(c)).onFailure(err -> lost(c, err.getMessage()));
  }

  /** The entries of this stream in an XREADGROUP reply (RESP2 array or RESP3 map), or null. */
  private Response entriesOf(Response r) {
    if (r == null) {
      return null;
    }
    if (r.isMap()) {
      return r.containsKey(stream) ? r.get(stream) : null;
    }
    for (Response s : r) {
      if (s != null && s.size() >= 2 && stream.equals(s.get(0).toString())) {
        return s.get(1);
      }
    }
    return null;
  }

  /**
   * Hands the payloads of a read to the handler at once (one broker batch), then acknowledges
   * and deletes the handled and malformed entries together.
   */
  private Future<Void> handle(RedisConnection c, Response entries) {
    if (entries == null || entries.size() == 0) {
      return Future.succeededFuture();
    }
    List<String> ids = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (Response entry : entries) {
      if (entry == null || entry.size() < 2) {
        continue;
      }
      String id = entry.get(0).toString();
      byte[] payload = payloadOf(entry.get(1));
      if (payload == null) {
        malformed++;
        LOG.warning(() -> "redisx: entry " + id + " has no payload field; dropped");
        done.add(id);
      } else {
        ids.add(id);
        payloads.add(payload);
      }
    }
    Future<List<Outcome>> outcomes = payloads.isEmpty() ? Future.succeededFuture(List.of()) : handler.apply(payloads);
    return outcomes.compose(list -> {
      for (int i = 0; i < list.size(); i++) {
        String id = ids.get(i);
        switch (list.get(i)) {
          case HANDLED -> {
            handled++;
            done.add(id);
          }
          case MALFORMED -> {
            malformed++;
            done.add(id);
          }
          default -> LOG.warning(() -> "redisx: entry " + id + " not handled; left pending to be claimed again");
        }
      }
      if (done.isEmpty()) {
        return Future.succeededFuture();
      }
      Request ack = Request.cmd(Command.XACK).arg(stream).arg(group);
      Request del = Request.cmd(Command.XDEL).arg(stream);
      for (String id : done) {
        ack.arg(id);
        del.arg(id);
      }
      return c.batch(List.of(ack, del)).mapEmpty();
    });
  }

  /** The {@code payload} field of an entry's field list (RESP2 flat array or RESP3 map). */
  private static byte[] payloadOf(Response fields) {
    if (fields == null) {
      return null;
    }
    if (fields.isMap()) {
      Response v = fields.containsKey("payload") ? fields.get("payload") : null;
      return v == null ? null : v.toBytes();
    }
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if ("payload".equals(fields.get(i).toString())) {
        return fields.get(i + 1).toBytes();
      }
    }
    return null;
  }

  private void lost(RedisConnection c, String why) {
    if (connection != c || stopped) {
      return;
    }
    connection = null;
    c.close();
    retry(why);
  }

  private void retry(String why) {
    if (!stopped) {
      reconnects.retry(settings.redacted(), why, this::connect);
    }
  }

  private static String randomName() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
