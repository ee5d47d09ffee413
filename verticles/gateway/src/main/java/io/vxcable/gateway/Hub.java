package io.vxcable.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The local hub of one gateway instance: which of its sessions listen to which stream under which
 * identifier, and which sessions carry which identifiers. A broadcast is encoded once per
 * (stream, identifier) group and the same bytes are written to every session of the group.
 *
 * <p>The hub listens to broadcast shard {@code k} on the bus only while it has a local stream in
 * that shard, so the cluster registry holds at most {@link Addresses#BROADCAST_SHARDS} entries per
 * gateway instance however many streams exist. Single-threaded: owned by the node's event loop.
 */
final class Hub {

  /** Sessions subscribed to one stream under one identifier. */
  static final class Group {
    final String identifier;
    final byte[] quotedIdentifier;
    final Set<Session> sessions = new HashSet<>();

    Group(String identifier) {
      this.identifier = identifier;
      this.quotedIdentifier = BroadcastFrames.quote(identifier);
    }
  }

  private final EventBus bus;
  private final Consumer<StreamBroadcast> onBroadcast;
  private final Map<String, Map<String, Group>> streams = new HashMap<>();
  private final Map<String, Set<Session>> byIdentifiers = new HashMap<>();
  @SuppressWarnings("unchecked")
  private final MessageConsumer<StreamBroadcast>[] shardConsumers = new MessageConsumer[Addresses.BROADCAST_SHARDS];
  private final int[] shardStreams = new int[Addresses.BROADCAST_SHARDS];

  Hub(EventBus bus, Consumer<StreamBroadcast> onBroadcast) {
    this.bus = bus;
    this.onBroadcast = onBroadcast;
  }

  /** Registers an authenticated session under its identifiers (for remote disconnects). */
  void add(Session s) {
    byIdentifiers.computeIfAbsent(s.identifiers, k -> new HashSet<>(2)).add(s);
  }

  /** Forgets a session: its identifiers entry and every stream it listens to. */
  void remove(Session s) {
    if (s.identifiers != null) {
      Set<Session> set = byIdentifiers.get(s.identifiers);
      if (set != null && set.remove(s) && set.isEmpty()) {
        byIdentifiers.remove(s.identifiers);
      }
    }
    for (Subscription sub : s.subscriptions.values()) {
      for (String stream : sub.streams) {
        unsubscribe(s, sub.identifier, stream);
      }
    }
  }

  /**
   * Adds a session to a stream under an identifier. The future completes once this instance
   * listens to the stream's shard, so a broadcast sent after it is delivered.
   */
  Future<Void> subscribe(Session s, String identifier, String stream) {
    Map<String, Group> groups = streams.get(stream);
    boolean newStream = groups == null;
    if (newStream) {
      groups = new HashMap<>(2);
      streams.put(stream, groups);
    }
    groups.computeIfAbsent(identifier, Group::new).sessions.add(s);
    int shard = Addresses.shardOf(stream);
    if (newStream) {
      return listen(shard);
    }
    MessageConsumer<StreamBroadcast> consumer = shardConsumers[shard];
    return consumer == null ? Future.succeededFuture() : consumer.completion();
  }

  void unsubscribe(Session s, String identifier, String stream) {
    Map<String, Group> groups = streams.get(stream);
    if (groups == null) {
      return;
    }
    Group g = groups.get(identifier);
    if (g != null && g.sessions.remove(s) && g.sessions.isEmpty()) {
      groups.remove(identifier);
    }
    if (groups.isEmpty()) {
      streams.remove(stream);
      shardStreams[Addresses.shardOf(stream)]--;
    }
  }

  /** Fans a broadcast out to local subscribers. */
  void broadcast(StreamBroadcast m) {
    Map<String, Group> groups = streams.get(m.getStream());
    if (groups == null) {
      return;
    }
    byte[] message = m.getMessage().toByteArray();
    String exclude = m.getExcludeSocket();
    // Snapshot: a write may close a slow session, which mutates the sets.
    List<Group> snapshot = new ArrayList<>(groups.values());
    for (Group g : snapshot) {
      byte[] frame = BroadcastFrames.encode(g.quotedIdentifier, m, message);
      for (Session s : g.sessions.toArray(new Session[0])) {
        if (exclude.isEmpty() || !exclude.equals(s.sid)) {
          s.sendFrame(frame);
        }
      }
    }
  }

  /** Sessions whose identifiers string equals {@code identifiers} exactly. */
  List<Session> byIdentifiers(String identifiers) {
    Set<Session> set = byIdentifiers.get(identifiers);
    return set == null ? List.of() : new ArrayList<>(set);
  }

  int streamCount() {
    return streams.size();
  }

  /** Stops listening to shards that no longer hold a local stream. */
  void releaseIdleShards() {
    for (int i = 0; i < shardConsumers.length; i++) {
      if (shardStreams[i] == 0 && shardConsumers[i] != null) {
        shardConsumers[i].unregister();
        shardConsumers[i] = null;
      }
    }
  }

  Future<Void> close() {
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
