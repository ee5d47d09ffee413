package io.vxcable.session;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.bus.PresenceChangeReply;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceJoin;
import io.vxcable.contracts.bus.PresenceLeave;
import io.vxcable.contracts.bus.PresenceTouch;
import io.vxcable.observability.WarningRate;
import io.vxcable.protocol.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * The gateway's side of the presence verticle. Without one (no broker configured) every request
 * fails: the {@code presence} command gets anycable-go's error reply, joins and leaves fail
 * silently.
 */
final class PresenceClient {

  static final long TIMEOUT_MS = 5_000;
  /** Sessions per touch message, so one message stays small whatever the node's size. */
  static final int TOUCH_BATCH = 1_000;

  private static final Logger LOG = Logger.getLogger(PresenceClient.class.getName());
  /** Requests the presence verticle did not answer, for every engine of the process. */
  private static final WarningRate UNANSWERED = new WarningRate();

  private final EventBus bus;
  private final boolean expected;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);

  /** @param expected a broker is configured, so a presence verticle should answer (else failing is the rule) */
  PresenceClient(EventBus bus, boolean expected) {
    this.bus = bus;
    this.expected = expected;
  }

  /** Joins; fails with the presence verticle's error ("presence ID mismatch"...). */
  Future<Void> join(String stream, String sid, String id, String infoJson) {
    PresenceJoin.Builder b = PresenceJoin.newBuilder().setStream(stream).setSid(sid).setId(id == null ? "" : id);
    if (infoJson != null) {
      b.setInfo(ByteString.copyFrom(infoJson, StandardCharsets.UTF_8));
    }
    return BusRequests.<PresenceChangeReply>localFirst(bus, Addresses.PRESENCE_JOIN, b.build(), options)
        .onFailure(this::unanswered).compose(PresenceClient::changed);
  }

  Future<Void> leave(String stream, String sid) {
    return BusRequests.<PresenceChangeReply>localFirst(bus, Addresses.PRESENCE_LEAVE,
        PresenceLeave.newBuilder().setStream(stream).setSid(sid).build(), options).onFailure(this::unanswered)
        .compose(PresenceClient::changed);
  }

  Future<PresenceInfoReply> info(String stream) {
    return BusRequests.<PresenceInfoReply>localFirst(bus, Addresses.PRESENCE_INFO, PresenceInfoRequest.newBuilder().setStream(stream).build(),
        options).onFailure(this::unanswered).map(Message::body)
        .compose(r -> r.getError().isEmpty() ? Future.succeededFuture(r) : Future.failedFuture(r.getError()));
  }

  /** With a broker configured, a request nobody answered: one line at most every 10 s saying why. */
  private void unanswered(Throwable err) {
    if (expected && err instanceof ReplyException e) {
      UNANSWERED.warn(LOG, n -> unansweredLine(e, n));
    }
  }

  static String unansweredLine(ReplyException e, int n) {
    String why = switch (e.failureType()) {
      case NO_HANDLERS -> "no presence verticle answers on the bus: is one deployed with --broker (or a node running it, "
          + "in a cluster)?";
      case TIMEOUT -> "presence did not answer within " + TIMEOUT_MS / 1000 + " s: is its backend (Hazelcast, Redis, NATS) up?";
      default -> "presence failed: " + e.getMessage();
    };
    return "presence requests fail (" + WarningRate.count(n, "request") + "): " + why;
  }

  /** Keeps these sessions' presence alive (or starts the TTL of sessions that just closed). */
  void touch(Collection<String> sids) {
    PresenceTouch.Builder b = PresenceTouch.newBuilder();
    for (String sid : sids) {
      b.addSids(sid);
      if (b.getSidsCount() == TOUCH_BATCH) {
        bus.send(Addresses.PRESENCE_TOUCH, b.build());
        b = PresenceTouch.newBuilder();
      }
    }
    if (b.getSidsCount() > 0) {
      bus.send(Addresses.PRESENCE_TOUCH, b.build());
    }
  }

  private static Future<Void> changed(Message<PresenceChangeReply> reply) {
    String error = reply.body().getError();
    return error.isEmpty() ? Future.succeededFuture() : Future.failedFuture(error);
  }

  /**
   * The info an application sent (a JSON-encoded string): as JSON text when it parses, otherwise
   * the text itself as a JSON string (anycable-go's rule); null when empty.
   */
  static String infoJson(String info) {
    if (info == null || info.isEmpty()) {
      return null;
    }
    try {
      Json.decodeValue(info);
      return info;
    } catch (DecodeException notJson) {
      return JsonText.quote(info);
    }
  }
}
