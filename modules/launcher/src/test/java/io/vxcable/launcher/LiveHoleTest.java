package io.vxcable.launcher;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A live broadcast lost between the broker and the gateway (as when the broker's node is killed
 * right after storing it and answering the intake): the gateway sees the next offset skip one,
 * reads the missing one from the broker's history and sends everything in order, once.
 */
class LiveHoleTest extends BundleCase {

  @Test
  void aLiveBroadcastLostOnTheBusReachesClientsFromHistory() throws Exception {
    // The live copy of the second publication never reaches the gateways; the broker stored it.
    AtomicInteger dropped = bundleDroppingTheLiveCopyOfOffset2();
    try (Client c = subscribed()) {
      publish("one");
      assertThat(c.next("message").getLong("offset")).isEqualTo(1);
      publish("two");
      publish("three");
      publish("four");
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject m = c.next("message");
        got.add(m.getLong("offset") + ":" + m.getString("message"));
      }
      assertThat(dropped.get()).as("the live copy of offset 2 was dropped").isEqualTo(1);
      assertThat(got).containsExactly("2:two", "3:three", "4:four");
      // Nothing twice: the next message is the next publication.
      publish("five");
      JsonObject next = c.next("message");
      assertThat(next.getLong("offset") + ":" + next.getString("message")).isEqualTo("5:five");
    }
    // What the gateway did shows in its metrics: one broadcast filled from history, nothing else.
    MicrometerMetrics m = (MicrometerMetrics) Metrics.of(vertx);
    eventually(() -> assertThat(m.value("broadcast_live_filled_total")).isEqualTo(1));
    assertThat(m.value("broadcast_live_skipped_total")).isZero();
    assertThat(m.value("broadcast_live_late_total")).isZero();
    assertThat(m.value("broadcast_live_repeats_total")).isZero();
  }
  @Test
  void aLostLastBroadcastReachesClientsOnAResync() throws Exception {
    // The live copy of the last publication never reaches the gateways: nothing after it shows the hole.
    AtomicInteger dropped = bundleDroppingTheLiveCopyOfOffset2();
    // The broker's heads of quiet streams would bring it too: dropped here, so only the resync can.
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (!(ctx.message().address().equals(Addresses.EVENTS_RESYNC) && ctx.message().body() instanceof JsonObject)) {
        ctx.next();
      }
    });
    try (Client c = subscribed()) {
      publish("one");
      assertThat(c.next("message").getLong("offset")).isEqualTo(1);
      publish("two");
      eventually(() -> assertThat(dropped.get()).as("the live copy of offset 2 was dropped").isEqualTo(1));
      // What the pub/sub bridge does once reconnected, and the gateway once a cluster member has left.
      vertx.eventBus().publish(Addresses.EVENTS_RESYNC, null, new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
      JsonObject m = c.next("message");
      assertThat(m.getLong("offset") + ":" + m.getString("message")).isEqualTo("2:two");
    }
  }

  @Test
  void aLostLastBroadcastReachesClientsOnceItsStreamGoesQuiet() throws Exception {
    // Nothing else happens: no broker node leaves, no pub/sub reconnects. The broker names the
    // stream's last offset a second after its last publication, and the gateway, behind, reads it.
    AtomicInteger dropped = bundleDroppingTheLiveCopyOfOffset2();
    try (Client c = subscribed()) {
      publish("one");
      assertThat(c.next("message").getLong("offset")).isEqualTo(1);
      publish("two");
      JsonObject m = c.next("message");
      assertThat(dropped.get()).as("the live copy of offset 2 was dropped").isEqualTo(1);
      assertThat(m.getLong("offset") + ":" + m.getString("message")).isEqualTo("2:two");
    }
    MicrometerMetrics m = (MicrometerMetrics) Metrics.of(vertx);
    eventually(() -> assertThat(m.value("broadcast_live_filled_total")).isEqualTo(1));
  }

  /** The bundle with the memory broker; the first live copy of offset 2 of "room" is dropped on the bus. */
  private AtomicInteger bundleDroppingTheLiveCopyOfOffset2() throws Exception {
    Settings s = ConfigResolver.fromCommandLine(List.of("--port=" + port, "--public", "--broker=memory",
        "--http_broadcast_port=" + port, "--metrics_log", "--norpc"), Map.of(), Path.of("/nonexistent")).settings();
    vertx.deployVerticle(new BundleVerticle(), new DeploymentOptions().setConfig(s.toJson())).await(20, TimeUnit.SECONDS);
    String address = Addresses.broadcastAddress("room");
    AtomicInteger dropped = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().address().equals(address) && ctx.message().body() instanceof StreamBroadcast b
          && b.getOffset() == 2 && dropped.getAndIncrement() == 0) {
        return;
      }
      ctx.next();
    });
    return dropped;
  }

  private Client subscribed() throws Exception {
    Client c = new Client("");
    c.next("welcome");
    c.send(new JsonObject().put("command", "subscribe").put("identifier", ROOM));
    c.next("confirm_subscription");
    return c;
  }
}
