package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.session.spi.HubSubscriber;
import io.vxcable.session.spi.WireProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The local hub of one engine: which subscribers listen to which stream under which identifier. A
 * broadcast is encoded once per (stream, identifier, broadcast format) and the same bytes go to
 * every subscriber of that group; the message itself is converted once per format per broadcast.
 *
 * <p>The hub listens to broadcast shard {@code k} on the bus only while it has a local stream in
 * that shard, so the cluster registry holds at most {@link Addresses#BROADCAST_SHARDS} entries per
 * engine however many streams exist. Single-threaded: owned by the engine's event loop.
 */
public final class Hub {

  /** Subscribers of one stream under one identifier, by the broadcast format they read. */
  private static final class Group {
    final String identifier;
    /** Usually one: every client of a deployment tends to speak the same encoding. */
    Members[] byFormat = NO_MEMBERS;

    Group(String identifier) {
      this.identifier = identifier;
    }

    Members members(WireProtocol format, boolean create) {
      for (Members m : byFormat) {
        if (m.format == format) {
          return m;
        }
      }
      if (!create) {
        return null;
      }
      Members m = new Members(format, identifier);
      byFormat = java.util.Arrays.copyOf(byFormat, byFormat.length + 1);
      byFormat[byFormat.length - 1] = m;
      return m;
    }

    void drop(Members gone) {
      List<Members> left = new ArrayList<>(java.util.Arrays.asList(byFormat));
      left.remove(gone);
      byFormat = left.toArray(NO_MEMBERS);
    }

    boolean isEmpty() {
      return byFormat.length == 0;
    }
  }

  /** The subscribers of a group that read one format, and the encoder for their identifier. */
  private static final class Members {
    final WireProtocol format;
    final WireProtocol.BroadcastEncoder encoder;
    final Set<HubSubscriber> subscribers = new HashSet<>();

    Members(WireProtocol format, String identifier) {
      this.format = format;
      this.encoder = format.broadcasts(identifier);
    }
  }

  private static final Members[] NO_MEMBERS = new Members[0];
  private static final HubSubscriber[] NO_SUBSCRIBERS = new HubSubscriber[0];

  private final EventBus bus;
  private final Consumer<StreamBroadcast> onBroadcast;
  private final Metrics.KeyCount streamNames;
  private final Map<String, Map<String, Group>> streams = new HashMap<>();
  @SuppressWarnings({"unchecked", "rawtypes"})
  private final MessageConsumer<StreamBroadcast>[] shardConsumers = new MessageConsumer[Addresses.BROADCAST_SHARDS];
  private final int[] shardStreams = new int[Addresses.BROADCAST_SHARDS];

  /**
   * @param onBroadcast what a broadcast from the bus goes to (usually {@link #broadcast}, through
   *     the engine that counts it)
   */
  public Hub(EventBus bus, Consumer<StreamBroadcast> onBroadcast) {
    this(bus, onBroadcast, Metrics.NOOP.keyCount("broadcast_streams_num", ""));
  }

  /** @param streamNames told about every stream when its first local subscriber comes and its last goes */
  public Hub(EventBus bus, Consumer<StreamBroadcast> onBroadcast, Metrics.KeyCount streamNames) {
    this.streamNames = streamNames;
    this.bus = bus;
    this.onBroadcast = onBroadcast;
  }

  /**
   * Adds a subscriber to a stream under an identifier. The future completes once this engine
   * listens to the stream's shard, so a broadcast sent after it is delivered.
   */
  public Future<Void> subscribe(HubSubscriber s, String identifier, String stream) {
    Map<String, Group> groups = streams.get(stream);
    boolean newStream = groups == null;
    if (newStream) {
      groups = new HashMap<>(2);
      streams.put(stream, groups);
      streamNames.add(stream, this);
    }
    WireProtocol format = s.protocol().broadcastFormat();
    groups.computeIfAbsent(identifier, Group::new).members(format, true).subscribers.add(s);
    int shard = Addresses.shardOf(stream);
    if (newStream) {
      return listen(shard);
    }
    MessageConsumer<StreamBroadcast> consumer = shardConsumers[shard];
    return consumer == null ? Future.succeededFuture() : consumer.completion();
  }

  public void unsubscribe(HubSubscriber s, String identifier, String stream) {
    Map<String, Group> groups = streams.get(stream);
    if (groups == null) {
      return;
    }
    Group g = groups.get(identifier);
    if (g != null) {
      Members members = g.members(s.protocol().broadcastFormat(), false);
      if (members != null && members.subscribers.remove(s) && members.subscribers.isEmpty()) {
        g.drop(members);
      }
      if (g.isEmpty()) {
        groups.remove(identifier);
      }
    }
    if (groups.isEmpty()) {
      streams.remove(stream);
      streamNames.remove(stream, this);
      shardStreams[Addresses.shardOf(stream)]--;
    }
  }

  /** Fans a broadcast out to local subscribers; false when the stream has none here. */
  public boolean broadcast(StreamBroadcast m) {
    Map<String, Group> groups = streams.get(m.getStream());
    if (groups == null) {
      return false;
    }
    String exclude = m.getExcludeSocket();
    // The message in each format, converted once: nearly always one format, kept in two locals.
    WireProtocol firstFormat = null;
    Object firstPayload = null;
    Map<WireProtocol, Object> otherPayloads = null;
    // Snapshots: a write may close a slow session, which mutates the sets.
    for (Group g : groups.values().toArray(new Group[0])) {
      for (Members members : g.byFormat) {
        Object payload;
        if (members.format == firstFormat) {
          payload = firstPayload;
        } else if (firstFormat == null) {
          firstFormat = members.format;
          payload = firstPayload = firstFormat.payload(m);
        } else {
          if (otherPayloads == null) {
            otherPayloads = new IdentityHashMap<>(2);
          }
          payload = otherPayloads.computeIfAbsent(members.format, f -> f.payload(m));
        }
        byte[] frame = members.encoder.encode(m, payload);
        if (frame == null) {
          // Nothing to say in this format (OCPP given a broadcast that is no command): skipped.
          continue;
        }
        for (HubSubscriber s : members.subscribers.toArray(NO_SUBSCRIBERS)) {
          if (exclude.isEmpty() || !exclude.equals(s.sid())) {
            s.deliver(g.identifier, m, frame);
          }
        }
      }
    }
    return true;
  }

  /** Whether this hub speaks for the process about {@code stream} (the first of its hubs holding it). */
  public boolean firstFor(String stream) {
    return streamNames.first(stream, this);
  }

  /** Whether {@code stream} has a local subscriber. */
  public boolean holds(String stream) {
    return streams.containsKey(stream);
  }

  /** Streams with at least one local subscriber. */
  public int streamCount() {
    return streams.size();
  }

  /** Stops listening to shards that no longer hold a local stream. */
  public void releaseIdleShards() {
    for (int i = 0; i < shardConsumers.length; i++) {
      if (shardStreams[i] == 0 && shardConsumers[i] != null) {
        shardConsumers[i].unregister();
        shardConsumers[i] = null;
      }
    }
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < shardConsumers.length; i++) {
      if (shardConsumers[i] != null) {
        all.add(shardConsumers[i].unregister());
        shardConsumers[i] = null;
      }
    }
    return Future.join(all).mapEmpty();
  }

  private Future<Void> listen(int shard) {
    shardStreams[shard]++;
    MessageConsumer<StreamBroadcast> consumer = shardConsumers[shard];
    if (consumer == null) {
      consumer = bus.consumer(Addresses.broadcastShard(shard), msg -> onBroadcast.accept(msg.body()));
      shardConsumers[shard] = consumer;
    }
    return consumer.completion();
  }
}
