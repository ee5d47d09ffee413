package io.vxcable.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** For verticles that keep their state in the Hazelcast cluster the event bus runs on. */
public final class HazelcastSupport {

  private HazelcastSupport() {}

  /** The Hazelcast member of a clustered Vert.x, or null (not clustered, or another cluster manager). */
  public static HazelcastInstance member(Vertx vertx) {
    ClusterManager cm = vertx instanceof VertxInternal vi ? vi.clusterManager() : null;
    return cm instanceof HazelcastClusterManager h ? h.getHazelcastInstance() : null;
  }

  /**
   * A Hazelcast future as a Vert.x future completed on {@code context}. Hazelcast runs the
   * callbacks of its futures on its default async executor, which on a machine with fewer than
   * three cores starts a new thread per callback: the callback here runs on the completing thread
   * instead and only hands the result over.
   */
  public static <T> Future<T> onContext(Context context, CompletionStage<T> stage) {
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, err) -> context.runOnContext(v -> {
      if (err != null) {
        promise.fail(err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
      } else {
        promise.complete(value);
      }
    }), Runnable::run);
    return promise.future();
  }
}
