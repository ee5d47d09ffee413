package io.vxcable.session.ds;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.bus.HistoryReply;
import io.vxcable.contracts.bus.HistoryRequest;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.bus.StreamPositionReply;
import io.vxcable.contracts.bus.StreamPositionRequest;
import java.util.List;

/**
 * What a Durable Streams read needs from the broker, over the bus: a stream's latest position
 * ({@code cable.broker.position}) and its history ({@code cable.broker.history}). A history the
 * broker refuses (unknown epoch, evicted or future offset) fails with {@link Gone}; a broker that
 * does not answer (none deployed, or busy for 5 s) fails with the bus error.
 */
final class StreamReads {

  /** A broker that does not answer within this is a failure (500), as for WebSocket history. */
  static final long TIMEOUT_MS = 5_000;

  /** The offset cannot be read from any more (or never could): anycable-go's 410. */
  static final class Gone extends Exception {
    Gone(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The messages after a read's offset and the position a client reads on from.
   *
   * @param messages in offset order, possibly none
   * @param epoch the epoch of the next position (empty when unknown)
   * @param offset the next position: the last message's, else where the read stood
   */
  record Backlog(List<StreamBroadcast> messages, String epoch, long offset) {

    /** {@code Stream-Next-Offset} for this backlog. */
    String nextOffset() {
      return DsOffset.encode(offset, epoch);
    }
  }

  private final EventBus bus;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);

  StreamReads(EventBus bus) {
    this.bus = bus;
  }

  /** The stream's last offset (0 when none) under the broker's epoch. */
  Future<StreamPositionReply> position(String stream) {
    return BusRequests.<StreamPositionReply>localFirst(bus, Addresses.BROKER_POSITION,
        StreamPositionRequest.newBuilder().setStream(stream).build(), options).map(Message::body);
  }

  /**
   * The backlog of a read from {@code from}: everything retained for {@link DsOffset.Kind#START}
   * (the tail position is asked first, so a message published meanwhile is in the history or after
   * it, never skipped), nothing for {@link DsOffset.Kind#NOW}, the messages after a position
   * otherwise ({@link Gone} when the broker cannot serve it, or the offset has no epoch).
   */
  Future<Backlog> backlog(String stream, DsOffset from) {
    switch (from.kind()) {
      case NOW:
        return position(stream).map(p -> new Backlog(List.of(), p.getEpoch(), p.getOffset()));
      case START:
        return position(stream).compose(p -> history(stream, HistoryRequest.newBuilder().setStream(stream).setSince(0))
            .map(messages -> backlog(messages, p.getEpoch(), p.getOffset())));
      default:
        if (from.epoch().isEmpty()) {
          return Future.failedFuture(new Gone("no epoch in the offset"));
        }
        HistoryRequest.Builder req = HistoryRequest.newBuilder().setStream(stream).setHasPosition(true)
            .setEpoch(from.epoch()).setOffset(from.offset());
        return history(stream, req).map(messages -> backlog(messages, from.epoch(), from.offset()));
    }
  }

  private static Backlog backlog(List<StreamBroadcast> messages, String epoch, long offset) {
    if (messages.isEmpty()) {
      return new Backlog(messages, epoch, offset);
    }
    StreamBroadcast last = messages.get(messages.size() - 1);
    return new Backlog(messages, last.getEpoch(), last.getOffset());
  }

  private Future<List<StreamBroadcast>> history(String stream, HistoryRequest.Builder req) {
    return BusRequests.<HistoryReply>localFirst(bus, Addresses.BROKER_HISTORY, req.build(), options).compose(m -> {
      HistoryReply r = m.body();
      return r.getError().isEmpty() ? Future.succeededFuture(r.getMessagesList())
          : Future.failedFuture(new Gone(stream + ": " + r.getError()));
    });
  }
}
