package io.vxcable.broker;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The break of a make-before-break handover: a broker node that announced its departure keeps its
 * shard consumers until the cluster's bus registrations name another node's consumer for each
 * shard address (the nodes that took them over), so a sender always finds an owner and two owners
 * coexist only for the moment the registrations take to spread.
 */
final class ShardHandover {

  /** How often the registrations are read while waiting. */
  static final long POLL_MS = 50;

  private ShardHandover() {}

  /**
   * Completes, on the caller's context, once every address has a consumer on another node, or at
   * {@code deadline} (a node left alone, or the others slow to take over: stop waiting anyway).
   */
  static Future<Void> takenElsewhere(Vertx vertx, List<String> addresses, long deadline) {
    if (!(vertx instanceof VertxInternal vi) || vi.clusterManager() == null || addresses.isEmpty()) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    poll(vertx, context, vi.clusterManager(), new ArrayList<>(addresses), deadline, done);
    return done.future();
  }

  private static void poll(Vertx vertx, Context context, ClusterManager cm, List<String> waiting, long deadline,
      Promise<Void> done) {
    List<Future<Boolean>> elsewhere = new ArrayList<>(waiting.size());
    for (String address : waiting) {
      Promise<List<RegistrationInfo>> regs = Promise.promise();
      cm.getRegistrations(address, regs);
      elsewhere.add(regs.future().map(list -> list.stream().anyMatch(r -> !r.nodeId().equals(cm.getNodeId()))));
    }
    Future.join(elsewhere).onComplete(ar -> context.runOnContext(v -> {
      List<String> still = new ArrayList<>();
      for (int i = 0; i < waiting.size(); i++) {
        Future<Boolean> f = elsewhere.get(i);
        if (!(f.succeeded() && f.result())) {
          still.add(waiting.get(i));
        }
      }
      if (still.isEmpty() || System.currentTimeMillis() >= deadline) {
        done.complete();
      } else {
        vertx.setTimer(POLL_MS, id -> poll(vertx, context, cm, still, deadline, done));
      }
    }));
  }
}
