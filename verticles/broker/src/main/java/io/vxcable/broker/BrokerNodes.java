package io.vxcable.broker;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The broker nodes of a Hazelcast cluster as this node sees them: the members that announced a
 * broker in a replicated map (member UUID to node id), followed through membership and map events.
 *
 * <p>A replicated map is only eventually consistent: a replica can miss a write, and a node that
 * sees another's entry before its member list names the new member could take it for one that
 * left. So every node writes its entry again every {@code announceMs} (a replica that missed it
 * gets it, an entry removed by mistake comes back), and an entry is removed only once its member
 * has been out of the cluster for {@code forgetAfterMs}. A joining node can {@link #follow} the
 * others before it {@link #announce}s itself (its broker takes its shards in between, so the old
 * owners keep them until the new one serves). The map's writes run off the event loop:
 * one waits for its partition's owner, which may be a member that just died. Owned by one event
 * loop.
 */
final class BrokerNodes {

  static final String MAP = HazelcastBroker.DEFAULT_NAMESPACE + ".nodes";
  /** How often a node writes its entry again. */
  static final long ANNOUNCE_MS = 5000;
  /** How long a member is out of the cluster before its entry is removed. */
  static final long FORGET_AFTER_MS = 3000;

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final String nodeId;
  private final long announceMs;
  private final long forgetAfterMs;
  private final UUID self;
  /** Entries whose member is not in the cluster, since when (this node's clock). */
  private final Map<UUID, Long> absentSince = new HashMap<>();
  private ReplicatedMap<UUID, String> map;
  private UUID membershipListener;
  private UUID entryListener;
  private long announceTimer = -1;
  /** The last write of this node's entry: leaving waits for it, or it could outlive the removal. */
  private Future<?> announced = Future.succeededFuture();
  private boolean left;
  private boolean forgetting;

  BrokerNodes(Vertx vertx, HazelcastInstance hz, String nodeId) {
    this(vertx, hz, nodeId, ANNOUNCE_MS, FORGET_AFTER_MS);
  }

  BrokerNodes(Vertx vertx, HazelcastInstance hz, String nodeId, long announceMs, long forgetAfterMs) {
    this.vertx = vertx;
    this.hz = hz;
    this.nodeId = nodeId;
    this.announceMs = announceMs;
    this.forgetAfterMs = forgetAfterMs;
    this.self = hz.getCluster().getLocalMember().getUuid();
  }

  UUID self() {
    return self;
  }

  /** {@link #follow} then {@link #announce}. */
  Future<Void> join(Runnable changed) {
    return follow(changed).compose(v -> announce());
  }

  /**
   * Follows the broker nodes without announcing this one yet: {@code changed} runs on the caller's
   * context whenever members or entries change, and {@link #alive} answers (with this node in it).
   */
  Future<Void> follow(Runnable changed) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      map = hz.getReplicatedMap(MAP);
      membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent e) {
          context.runOnContext(v -> changed.run());
        }

        @Override
        public void memberRemoved(MembershipEvent e) {
          context.runOnContext(v -> changed.run());
        }
      });
      entryListener = map.addEntryListener(new EntryAdapter<UUID, String>() {
        @Override
        public void onEntryEvent(EntryEvent<UUID, String> event) {
          context.runOnContext(v -> changed.run());
        }
      });
      return null;
    }).mapEmpty();
  }

  /** Writes this node's entry, so the others count it, and again every {@code announceMs}. */
  Future<Void> announce() {
    announced = vertx.executeBlocking(() -> map.put(self, nodeId));
    return announced.<Void>mapEmpty().onSuccess(v -> {
      if (!left) {
        announceTimer = vertx.setPeriodic(announceMs, id -> reannounce());
      }
    });
  }

  /**
   * The broker nodes in the cluster now, this one included. Entries of members out of the cluster
   * for {@code forgetAfterMs} are removed (in the background).
   */
  Set<UUID> alive(long now) {
    Set<UUID> members = new HashSet<>();
    for (Member m : hz.getCluster().getMembers()) {
      members.add(m.getUuid());
    }
    Set<UUID> out = new HashSet<>();
    List<UUID> gone = new ArrayList<>();
    Set<UUID> entries = map.keySet();
    for (UUID node : entries) {
      if (members.contains(node)) {
        out.add(node);
      } else if (now - absentSince.computeIfAbsent(node, k -> now) >= forgetAfterMs) {
        gone.add(node);
      }
    }
    absentSince.keySet().removeIf(node -> members.contains(node) || !entries.contains(node));
    if (!gone.isEmpty() && !forgetting) {
      forgetting = true;
      vertx.executeBlocking(() -> {
        gone.forEach(map::remove);
        return null;
      }, false).onComplete(ar -> forgetting = false);
    }
    out.add(self);
    return out;
  }

  /** Stops announcing and removes this node's entry and listeners. */
  Future<Void> leave() {
    left = true;
    vertx.cancelTimer(announceTimer);
    if (map == null || !hz.getLifecycleService().isRunning()) {
      return Future.succeededFuture();
    }
    return announced.<Object>transform(ar -> vertx.executeBlocking(() -> {
      hz.getCluster().removeMembershipListener(membershipListener);
      map.removeEntryListener(entryListener);
      map.remove(self);
      return null;
    })).mapEmpty();
  }

  private void reannounce() {
    if (left || !announced.isComplete() || !hz.getLifecycleService().isRunning()) {
      return;
    }
    announced = vertx.executeBlocking(() -> map.put(self, nodeId), false);
  }
}
