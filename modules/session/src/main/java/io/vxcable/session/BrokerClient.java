package io.vxcable.session;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.bus.HistoryReply;
import io.vxcable.contracts.bus.HistoryRequest;
import io.vxcable.contracts.bus.SessionRestoreReply;
import io.vxcable.contracts.bus.SessionRestoreRequest;
import io.vxcable.contracts.bus.SessionSnapshot;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.WarningRate;
import io.vxcable.protocol.ClientCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/** The gateway's side of the broker: history requests and session snapshots over the bus. */
final class BrokerClient {

  /** A broker that does not answer within this is treated as a failure (no history, no restore). */
  static final long TIMEOUT_MS = 5_000;
  private static final Logger LOG = Logger.getLogger(BrokerClient.class.getName());
  /** Requests the broker did not answer, for every engine of the process. */
  private static final WarningRate UNANSWERED = new WarningRate();

  private final EventBus bus;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);

  BrokerClient(EventBus bus) {
    this.bus = bus;
  }

  /**
   * History for every stream of a subscription, all or nothing: per stream, from the client's
   * position when it sent one, else since {@code since} when positive. Fails when any stream fails.
   */
  Future<List<StreamBroadcast>> history(List<String> streams, ClientCommand.HistoryRequest h) {
    List<Future<List<StreamBroadcast>>> parts = new ArrayList<>();
    for (String stream : streams) {
      ClientCommand.StreamPosition position = h.streams() == null ? null : h.streams().get(stream);
      HistoryRequest.Builder req = HistoryRequest.newBuilder().setStream(stream);
      if (position != null) {
        req.setHasPosition(true).setEpoch(position.epoch()).setOffset(position.offset());
      } else if (h.since() > 0) {
        req.setSince(h.since());
      } else {
        continue;
      }
      parts.add(read(req.build()));
    }
    return Future.all(parts).map(all -> {
      List<StreamBroadcast> out = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        out.addAll(all.<List<StreamBroadcast>>resultAt(i));
      }
      return out;
    });
  }

  /** One stream's history after a position ({@link LiveOrder}'s holes). */
  Future<List<StreamBroadcast>> after(String stream, String epoch, long offset) {
    return read(HistoryRequest.newBuilder().setStream(stream).setHasPosition(true).setEpoch(epoch).setOffset(offset).build());
  }

  private Future<List<StreamBroadcast>> read(HistoryRequest req) {
    return BusRequests.<HistoryReply>localFirst(bus, Addresses.BROKER_HISTORY, req, options)
        .onFailure(BrokerClient::unanswered).map(Message::body).compose(r ->
        r.getError().isEmpty() ? Future.succeededFuture(r.getMessagesList()) : Future.failedFuture(r.getError()));
  }

  void commit(Session s) {
    JsonObject subs = new JsonObject();
    JsonObject istate = new JsonObject();
    for (Subscription sub : s.subscriptions()) {
      subs.put(sub.identifier, new JsonArray(new ArrayList<>(sub.streams)));
      if (!sub.istate().isEmpty()) {
        istate.put(sub.identifier, new JsonObject(Map.copyOf(sub.istate())));
      }
    }
    JsonObject state = new JsonObject().put("ids", s.identifiers()).put("subs", subs)
        .put("cstate", new JsonObject(Map.copyOf(s.cstate()))).put("istate", istate)
        .put("disconnectable", s.disconnectable());
    SessionSnapshot snapshot = SessionSnapshot.newBuilder().setSid(s.sid())
        .setState(ByteString.copyFrom(state.encode(), StandardCharsets.UTF_8)).build();
    int number = ++s.snapshots;
    store(snapshot, () -> s.snapshots == number, 1);
  }

  /**
   * Stores a snapshot with this node's broker when it runs one, else with any. A snapshot that
   * found no broker, or reached one that was just leaving (a rolling restart: its consumer was
   * gone when the snapshot came, and the snapshot is discarded), is sent again at once, twice at
   * most, while it is still its session's newest. Unstored, the client that reconnects with its
   * sid would get a new session.
   */
  void store(SessionSnapshot snapshot, BooleanSupplier newest, int attempt) {
    BusRequests.localFirst(bus, Addresses.BROKER_SESSION_COMMIT, snapshot, options).onFailure(err -> {
      if (BusRequests.neverDelivered(err) && attempt < 3 && newest.getAsBoolean()) {
        store(snapshot, newest, attempt + 1);
      }
    });
  }

  /** The snapshot of a previous session, or null (unknown, expired, unreadable, or no broker). */
  Future<JsonObject> restore(String sid) {
    return BusRequests.<SessionRestoreReply>localFirst(bus, Addresses.BROKER_SESSION_RESTORE,
            SessionRestoreRequest.newBuilder().setSid(sid).build(), options)
        .onFailure(BrokerClient::unanswered)
        .map(m -> m.body().getFound() ? new JsonObject(m.body().getState().toStringUtf8()) : null)
        .otherwise(err -> null);
  }

  /**
   * A history or restore request the broker did not answer (a refused position is an answer, not
   * this): clients get {@code reject_history} or a new session, and the operator one line at most
   * every 10 s saying why.
   */
  static void unanswered(Throwable err) {
    if (err instanceof ReplyException e) {
      UNANSWERED.warn(LOG, n -> unansweredLine(e, n));
    }
  }

  static String unansweredLine(ReplyException e, int n) {
    String why = switch (e.failureType()) {
      case NO_HANDLERS -> "no broker answers on the bus: is one deployed (--broker; the broker verticle, or a node running it, "
          + "in a cluster)?";
      case TIMEOUT -> "the broker did not answer within " + TIMEOUT_MS / 1000 + " s: is its backend (Hazelcast, Redis, NATS) up?";
      default -> "the broker failed: " + e.getMessage();
    };
    return "history and session restores fail (" + WarningRate.count(n, "request") + "): " + why
        + " Clients get reject_history or start new sessions meanwhile.";
  }
}
