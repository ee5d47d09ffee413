package io.vxcable.pubsub;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.NatsServer;
import io.vxcable.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two unclustered Vert.x instances ("nodes"), each with a bridge, over a private redis-server or
 * nats-server: what one node publishes on its bus reaches the other's consumers once, and its own
 * consumers once (no echo).
 */
class PubSubVerticleTest {

  final Vertx a = Vertx.vertx();
  final Vertx b = Vertx.vertx();
  final List<String> onA = new CopyOnWriteArrayList<>();
  final List<String> onB = new CopyOnWriteArrayList<>();
  final List<String> commandsOnB = new CopyOnWriteArrayList<>();
  private final AtomicInteger resyncs = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    a.close().await(20, TimeUnit.SECONDS);
    b.close().await(20, TimeUnit.SECONDS);
  }

  static StreamBroadcast broadcast(String stream, String data) {
    return StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(data)).build();
  }

  void nodes(JsonObject config) throws Exception {
    for (Vertx v : List.of(a, b)) {
      BusCodecs.ensureRegistered(v);
      List<String> seen = v == a ? onA : onB;
      v.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("room"), m -> seen.add(m.body().getMessage().toStringUtf8()))
          .completion().await(10, TimeUnit.SECONDS);
      v.deployVerticle(new PubSubVerticle(), new DeploymentOptions().setConfig(config)).await(20, TimeUnit.SECONDS);
    }
    b.eventBus().<RemoteCommand>consumer(Addresses.EVENTS_COMMAND, m -> commandsOnB.add(m.body().getDisconnect().getIdentifiers()))
        .completion().await(10, TimeUnit.SECONDS);
    for (Vertx v : List.of(a, b)) {
      v.eventBus().consumer(Addresses.EVENTS_RESYNC, m -> resyncs.incrementAndGet()).completion().await(10, TimeUnit.SECONDS);
    }
  }

  interface Restart {
    void run() throws java.io.IOException;
  }

  /** Restarts the service under both bridges: each asks its own node's gateways to resync, once it is back. */
  void restartAsksEachNodeForAResync(Restart restart) throws java.io.IOException {
    untilConnected();
    assertThat(resyncs.get()).as("no resync for the first connection").isZero();
    restart.run();
    onB.clear();
    untilConnected();
    eventually(() -> assertThat(resyncs.get()).isEqualTo(2));
  }

  /** Publishes numbered broadcasts on A until B has one (both bridges connect in the background). */
  void untilConnected() {
    AtomicInteger n = new AtomicInteger();
    eventually(() -> {
      a.eventBus().publish(Addresses.broadcastAddress("room"), broadcast("room", "warm-up " + n.incrementAndGet()));
      assertThat(onB).isNotEmpty();
    });
  }

  void relaysBothWaysOnceAndNeverNodeOnlyMessages() {
    untilConnected();
    onA.clear();
    onB.clear();
    for (int i = 1; i <= 20; i++) {
      a.eventBus().publish(Addresses.broadcastAddress("room"), broadcast("room", "a" + i));
    }
    b.eventBus().publish(Addresses.broadcastAddress("room"), broadcast("room", "from b"));
    // Already delivered on every node (a legacy adapter, or relayed): never relayed again.
    a.eventBus().publish(Addresses.broadcastAddress("room"), broadcast("room", "node only"),
        new DeliveryOptions().setLocalOnly(true).addHeader(Addresses.HEADER_NODE_ONLY, "1"));
    a.eventBus().publish(Addresses.EVENTS_COMMAND, RemoteCommand.newBuilder().setDisconnect(io.vxcable.contracts.bus.RemoteDisconnect.newBuilder().setIdentifiers("u1")).build());
    eventually(() -> {
      assertThat(onB).containsSubsequence("a1", "a2", "a19", "a20").contains("from b");
      assertThat(onA).contains("from b", "node only");
      assertThat(commandsOnB).containsExactly("u1");
    });
    // Order kept, each once on both nodes, and the node-only message stayed on A.
    assertThat(onB.stream().filter(s -> s.startsWith("a")).toList())
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "a" + i).toList());
    assertThat(onA.stream().filter(s -> s.startsWith("a")).count()).isEqualTo(20);
    assertThat(onA).containsOnlyOnce("from b");
    assertThat(onB).doesNotContain("node only").containsOnlyOnce("from b");
  }

  @Test
  void redisPubSubRelaysBetweenNodes() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      nodes(new JsonObject().put("pubsub", "redis").put("redis_url", redis.url()));
      relaysBothWaysOnceAndNeverNodeOnlyMessages();
    }
  }

  @Test
  void natsRelaysBetweenNodes() throws Exception {
    try (NatsServer nats = NatsServer.start()) {
      nodes(new JsonObject().put("pubsub", "nats").put("nats_servers", nats.url()));
      relaysBothWaysOnceAndNeverNodeOnlyMessages();
    }
  }

  @Test
  void redisRestartedTheRelayComesBack() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      nodes(new JsonObject().put("pubsub", "redis").put("redis_url", redis.url()));
      restartAsksEachNodeForAResync(redis::restart);
    }
  }

  @Test
  void natsRestartedEachNodeAsksForAResync() throws Exception {
    try (NatsServer nats = NatsServer.start()) {
      nodes(new JsonObject().put("pubsub", "nats").put("nats_servers", nats.url()));
      restartAsksEachNodeForAResync(nats::restart);
    }
  }

  @Test
  void anUnknownAdapterStopsTheDeploymentWithItsName() {
    BusCodecs.ensureRegistered(a);
    assertThat(a.deployVerticle(new PubSubVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("pubsub", "kafka")))
        .toCompletionStage().toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(20))
        .withThrowableThat().withMessageContaining("kafka is not a pub/sub adapter");
  }
}
