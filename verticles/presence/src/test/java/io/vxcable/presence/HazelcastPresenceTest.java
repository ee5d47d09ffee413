package io.vxcable.presence;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vxcable.testkit.HazelcastClusters;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on the Hazelcast backend: one real member, a fresh namespace per presence. */
class HazelcastPresenceTest extends PresenceContract {

  static HazelcastInstance hz;
  static Vertx vertx;

  @BeforeAll
  static void member() {
    hz = Hazelcast.newHazelcastInstance(HazelcastClusters.configs(1).get(0));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void shutdown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    hz.shutdown();
  }

  @Override
  Presence newPresence(int ttlSeconds) throws Exception {
    return get(HazelcastPresence.start(vertx, hz, "test." + UUID.randomUUID(), ttlSeconds, () -> now));
  }
}
