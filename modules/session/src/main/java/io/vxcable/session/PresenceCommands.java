package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.session.spi.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Presence for the sessions of one engine: the {@code presence}, {@code join} and {@code leave}
 * commands, the application's presence changes, and the keep-alive of every session holding
 * presence (every {@code presence_ttl / 2}, on every protocol; after a close the records live one
 * more TTL, so a client that reconnects in time keeps its place).
 */
final class PresenceCommands {

  private final PresenceClient presence;
  private final LongSupplier clock;
  /** Sessions holding presence somewhere: kept alive every presence_ttl / 2. */
  private final Set<Session> present = new HashSet<>();
  private final long touchMs;
  private long nextTouch;

  PresenceCommands(SessionOptions options, PresenceClient presence, LongSupplier clock) {
    this.presence = presence;
    this.clock = clock;
    this.touchMs = Math.max(1000L, options.presenceTtl() * 1000L / 2);
    this.nextTouch = clock.getAsLong() + touchMs;
  }

  /** A {@code presence}, {@code join} or {@code leave} command on a presence-enabled subscription. */
  void run(Session s, String identifier, String command, ClientCommand cmd, Commands commands) {
    Subscription sub = s.subscription(identifier);
    String stream = sub == null ? null : sub.state(StreamsRouter.PRESENCE_KEY);
    if (stream == null) {
      commands.failed(s, command + " needs a presence-enabled subscription: " + identifier);
      return;
    }
    switch (command) {
      case "presence" -> {
        boolean records = returnRecords(cmd);
        // Without a presence verticle (no broker) the request fails: anycable-go's error reply.
        Future<Reply> reply = presence.info(stream).map(r -> info(identifier, r, records))
            .otherwise(err -> new Reply.PresenceError(identifier));
        commands.run(s, reply, r -> {
          s.send(r);
          return Future.succeededFuture();
        });
      }
      case "join" -> {
        if (cmd.presence() == null) {
          commands.failed(s, "join needs a presence object: " + identifier);
          return;
        }
        commands.run(s, join(s, stream, cmd.presence().id(), cmd.presence().infoJson()), v -> Future.succeededFuture());
      }
      default -> commands.run(s, leave(s, stream), v -> Future.succeededFuture());
    }
  }

  Future<Void> join(Session s, String stream, String id, String infoJson) {
    return presence.join(stream, s.sid(), id, infoJson).onSuccess(v -> {
      joined(s, stream);
      if (!s.closed()) {
        present.add(s);
      }
    });
  }

  Future<Void> leave(Session s, String stream) {
    return presence.leave(stream, s.sid()).onSuccess(v -> {
      if (left(s, stream)) {
        present.remove(s);
      }
    });
  }

  /** Whether the session joined the presence of {@code stream}. */
  static boolean in(Session s, String stream) {
    return s.presenceStreams != null && s.presenceStreams.contains(stream);
  }

  private static void joined(Session s, String stream) {
    if (s.presenceStreams == null) {
      s.presenceStreams = new ArrayList<>(1);
    }
    if (!s.presenceStreams.contains(stream)) {
      s.presenceStreams.add(stream);
    }
  }

  /** Forgets a presence stream; true when the session holds no presence any more. */
  private static boolean left(Session s, String stream) {
    if (s.presenceStreams != null) {
      s.presenceStreams.remove(stream);
    }
    return s.presenceStreams == null || s.presenceStreams.isEmpty();
  }

  /** The application's presence change for a subscription, applied after its transmissions. */
  Future<Void> apply(Session s, Subscription sub, CommandResult.PresenceChange change, Commands commands) {
    String stream = sub.state(StreamsRouter.PRESENCE_KEY);
    if (change == null || stream == null || s.closed()) {
      return Future.succeededFuture();
    }
    Future<Void> done = change.join() ? join(s, stream, change.id(), change.infoJson()) : leave(s, stream);
    return done.otherwise(err -> {
      commands.failed(s, "presence " + (change.join() ? "join" : "leave") + ": " + err.getMessage());
      return null;
    });
  }

  /** A session closed: its records stay for one more presence_ttl, then leave. */
  void closed(Session s) {
    if (present.remove(s)) {
      presence.touch(List.of(s.sid()));
    }
  }

  /** On every tick: keeps the present sessions' records alive every presence_ttl / 2. */
  void tick() {
    long now = clock.getAsLong();
    if (now < nextTouch) {
      return;
    }
    nextTouch = now + touchMs;
    if (!present.isEmpty()) {
      List<String> sids = new ArrayList<>(present.size());
      for (Session s : present) {
        sids.add(s.sid());
      }
      presence.touch(sids);
    }
  }

  private static Reply info(String identifier, PresenceInfoReply r, boolean withRecords) {
    if (!r.getKnown()) {
      return new Reply.PresenceInfo(identifier, 0, null);
    }
    List<Reply.PresenceRecord> records = null;
    if (withRecords) {
      records = new ArrayList<>(r.getRecordsCount());
      for (PresenceRecord rec : r.getRecordsList()) {
        records.add(new Reply.PresenceRecord(rec.getId(), rec.getInfo().isEmpty() ? null : rec.getInfo().toStringUtf8()));
      }
    }
    return new Reply.PresenceInfo(identifier, r.getRecordsCount(), records);
  }

  /** {@code data: {"return_records": false}} (an object or its JSON text) leaves the records out. */
  private static boolean returnRecords(ClientCommand cmd) {
    String data = cmd.dataString() != null ? cmd.dataString() : cmd.dataJson();
    if (data == null || data.isBlank()) {
      return true;
    }
    try {
      Object v = Json.decodeValue(data);
      return !(v instanceof JsonObject o) || !Boolean.FALSE.equals(o.getValue("return_records"));
    } catch (RuntimeException notJson) {
      return true;
    }
  }
}
