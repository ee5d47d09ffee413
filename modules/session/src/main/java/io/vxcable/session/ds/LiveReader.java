package io.vxcable.session.ds;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.JsonText;
import io.vxcable.session.Hub;
import io.vxcable.session.spi.HubSubscriber;
import io.vxcable.session.spi.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A live read's place in the engine's hub: it listens to the stream before the backlog is read,
 * keeps what arrives meanwhile, and once {@link #from opened} at the backlog's position hands on,
 * in order, only messages after that position (a message can reach a reader both in the backlog
 * and live). Messages without a position (whispers, no broker) are not Durable Streams messages
 * and are skipped, as in anycable-go. Owned by the engine's event loop.
 */
final class LiveReader implements HubSubscriber {

  /** Messages kept while the backlog is read; past this the read must resume from its position. */
  static final int MAX_EARLY = 1024;

  private final Hub hub;
  private final String sid;
  private final String stream;
  private final String identifier;
  private List<StreamBroadcast> early = new ArrayList<>();
  private boolean overflowed;
  private Consumer<StreamBroadcast> sink;
  private String epoch;
  private long offset;
  private boolean listening;

  LiveReader(Hub hub, String sid, String stream) {
    this.hub = hub;
    this.sid = sid;
    this.stream = stream;
    this.identifier = "{\"channel\":\"$pubsub\",\"stream_name\":" + JsonText.quote(stream) + "}";
  }

  /** Starts listening; completes once a message published from now on reaches this reader. */
  Future<Void> listen() {
    listening = true;
    return hub.subscribe(this, identifier, stream);
  }

  /**
   * Hands on what came after {@code epoch}/{@code offset}, then every later message, to
   * {@code sink}. Returns false when more arrived meanwhile than were kept: what was kept is handed
   * on, and the read should end so that its client resumes from the last position it got.
   */
  boolean from(String epoch, long offset, Consumer<StreamBroadcast> sink) {
    this.epoch = epoch;
    this.offset = offset;
    List<StreamBroadcast> waiting = early;
    early = null;
    this.sink = sink;
    for (StreamBroadcast b : waiting) {
      if (this.sink != null) {
        pass(b);
      }
    }
    return !overflowed;
  }

  /** Stops listening; nothing is handed on any more. */
  void stop() {
    sink = null;
    early = null;
    if (listening) {
      listening = false;
      hub.unsubscribe(this, identifier, stream);
    }
  }

  @Override
  public String sid() {
    return sid;
  }

  @Override
  public WireProtocol protocol() {
    return DsProtocol.INSTANCE;
  }

  @Override
  public void deliver(String identifier, StreamBroadcast broadcast, byte[] frame) {
    if (broadcast.getOffset() == 0 || broadcast.getEpoch().isEmpty()) {
      return;
    }
    if (early != null) {
      if (early.size() < MAX_EARLY) {
        early.add(broadcast);
      } else {
        overflowed = true;
      }
      return;
    }
    if (sink != null) {
      pass(broadcast);
    }
  }

  private void pass(StreamBroadcast b) {
    boolean newer = !b.getEpoch().equals(epoch) && !epoch.isEmpty() || b.getOffset() > offset;
    if (!newer) {
      return;
    }
    epoch = b.getEpoch();
    offset = b.getOffset();
    sink.accept(b);
  }
}
