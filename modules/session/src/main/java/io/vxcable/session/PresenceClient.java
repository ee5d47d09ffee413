package io.vxcable.session;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
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
import io.vxcable.protocol.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The gateway's side of the presence verticle. Without one (no broker configured) every request
 * fails: the {@code presence} command gets anycable-go's error reply, joins and leaves fail
 * silently.
 */
final class PresenceClient {

  static final long TIMEOUT_MS = 5_000;
  /** Sessions per touch message, so one message stays small whatever the node's size. */
  static final int TOUCH_BATCH = 1_000;

  private final EventBus bus;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);

  PresenceClient(EventBus bus) {
    this.bus = bus;
  }

  /** Joins; fails with the presence verticle's error ("presence ID mismatch"...). */
  Future<Void> join(String stream, String sid, String id, String infoJson) {
    PresenceJoin.Builder b = PresenceJoin.newBuilder().setStream(stream).setSid(sid).setId(id == null ? "" : id);
    if (infoJson != null) {
      b.setInfo(ByteString.copyFrom(infoJson, StandardCharsets.UTF_8));
    }
    return BusRequests.<PresenceChangeReply>localFirst(bus, Addresses.PRESENCE_JOIN, b.build(), options).compose(PresenceClient::changed);
  }

  Future<Void> leave(String stream, String sid) {
    return BusRequests.<PresenceChangeReply>localFirst(bus, Addresses.PRESENCE_LEAVE,
        PresenceLeave.newBuilder().setStream(stream).setSid(sid).build(), options).compose(PresenceClient::changed);
  }

  Future<PresenceInfoReply> info(String stream) {
    return BusRequests.<PresenceInfoReply>localFirst(bus, Addresses.PRESENCE_INFO, PresenceInfoRequest.newBuilder().setStream(stream).build(),
        options).map(Message::body).compose(r -> r.getError().isEmpty() ? Future.succeededFuture(r) : Future.failedFuture(r.getError()));
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
