package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the broker makes possible for a gateway: resuming a cached session (extended protocol,
 * {@code sessions_ttl > 0}), caching sessions as they change, and replaying missed messages.
 * Without a broker, history is rejected and nothing is cached, as with anycable-go's legacy broker.
 */
final class Resumption {

  /**
   * How long a resumed subscription's live broadcasts wait for the client's history request before
   * they flow anyway. Clients send it right after the restored welcome (@anycable/core sends one for
   * every restored identifier, empty when it has no position, which releases them too); under a
   * reconnect storm that round trip can take seconds (19,000 clients restored at once on 2 cores:
   * 13 % of them took over 5 s), and opening early would put live messages before the older ones
   * the replay brings.
   */
  static final long RESTORE_HOLD_MS = 15_000;

  private final SessionOptions options;
  private final BrokerClient broker;
  private final Hub hub;
  private final LongSupplier clock;
  private final EngineStats stats;
  private final Metrics.Amounts replaySizes;

  Resumption(SessionOptions options, BrokerClient broker, Hub hub, LongSupplier clock, EngineStats stats,
      Metrics.Amounts replaySizes) {
    this.options = options;
    this.stats = stats;
    this.replaySizes = replaySizes;
    this.broker = broker;
    this.hub = hub;
    this.clock = clock;
  }

  /** The result of resuming the session named by the client, or null to authenticate normally. */
  Future<ConnectResult> restore(Session s) {
    return broker.restore(s.request().restoreSid()).compose(state -> state == null ? Future.succeededFuture() : apply(s, state));
  }

  /**
   * Resumes a cached session: identifiers, state and subscriptions come back without any RPC, the
   * streams are listened to again, and the client is welcomed with its new sid.
   */
  private Future<ConnectResult> apply(Session s, JsonObject state) {
    List<Future<Void>> listening = new ArrayList<>();
    JsonObject subs = state.getJsonObject("subs", new JsonObject());
    JsonObject istates = state.getJsonObject("istate", new JsonObject());
    for (String identifier : subs.fieldNames()) {
      Subscription sub = s.addSubscription(identifier);
      JsonObject is = istates.getJsonObject(identifier);
      if (is != null) {
        Map<String, String> m = new HashMap<>();
        is.forEach(e -> m.put(e.getKey(), String.valueOf(e.getValue())));
        sub.mergeState(m);
      }
      // What was published while the client was away comes with its history request; hold the
      // live broadcasts until then, so they follow it.
      LiveGates.hold(s, identifier, clock.getAsLong() + RESTORE_HOLD_MS);
      for (Object stream : subs.getJsonArray(identifier)) {
        sub.streams.add(stream.toString());
        listening.add(hub.subscribe(s, identifier, stream.toString()));
      }
    }
    Map<String, String> cstate = new HashMap<>();
    state.getJsonObject("cstate", new JsonObject()).forEach(e -> cstate.put(e.getKey(), String.valueOf(e.getValue())));
    ConnectResult result = new ConnectResult(Status.SUCCESS, state.getString("ids", ""),
        List.of(new Reply.Welcome(s.sid(), true, new ArrayList<>(subs.fieldNames()))), cstate,
        state.getBoolean("disconnectable", false));
    return Future.all(listening).map(v -> result);
  }

  /** Caches an extended-protocol session's state for resumption (never for a failed authentication). */
  void commit(Session s) {
    if (options.resumable() && s.extended() && s.connected()) {
      broker.commit(s);
    }
  }

  /**
   * Sends the subscription's missed messages, then {@code confirm_history}; any failure sends only
   * {@code reject_history}. Live broadcasts of the subscription wait meanwhile and follow, without
   * those the replay carried. Without a broker there is no history, as with anycable-go's legacy
   * broker.
   */
  Future<Void> history(Session s, String identifier, ClientCommand.HistoryRequest h) {
    Subscription sub = s.subscription(identifier);
    if (!options.broker() || sub == null) {
      stats.historyRejected++;
      s.send(new Reply.RejectHistory(identifier));
      LiveGates.release(s, identifier, Map.of());
      return Future.succeededFuture();
    }
    LiveGates.hold(s, identifier, 0);
    WireProtocol format = s.protocol().broadcastFormat();
    WireProtocol.BroadcastEncoder encoder = format.broadcasts(identifier);
    return broker.history(List.copyOf(sub.streams), h).map(messages -> {
      Map<String, ReplayGate.Position> replayed = new HashMap<>();
      for (StreamBroadcast m : messages) {
        s.sendFrame(encoder.encode(m, format.payload(m)));
        ReplayGate.Position last = replayed.get(m.getStream());
        if (last == null || m.getOffset() > last.offset()) {
          replayed.put(m.getStream(), new ReplayGate.Position(m.getEpoch(), m.getOffset()));
        }
      }
      s.send(new Reply.ConfirmHistory(identifier));
      LiveGates.release(s, identifier, replayed);
      stats.historyReplayed++;
      replaySizes.record(messages.size());
      return (Void) null;
    }).otherwise(err -> {
      stats.historyRejected++;
      s.send(new Reply.RejectHistory(identifier));
      LiveGates.release(s, identifier, Map.of());
      return null;
    });
  }
}
