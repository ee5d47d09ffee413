package io.vxcable.gateway;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A gateway with long polling on {@code /lp} (short intervals), its engines and metrics, for the poll tests. */
abstract class PollCase extends GatewayCase {

  static final String ROOM = new JsonObject().put("channel", "$pubsub").put("stream_name", "room").encode();

  final List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();

  /** anycable-go's defaults with --poll and intervals short enough for tests; metrics on. */
  JsonObject settings() throws Exception {
    return GatewayFixture.defaults(port).put("poll", true).put("poll_path", "/lp").put("poll_interval", 2)
        .put("poll_flush_interval", 200).put("poll_max_request_size", 65536).put("poll_keepalive_timeout", 5)
        .put("metrics_http", "/metrics").put("stats_refresh_interval", 1)
        // A session with no waiting poll holds a shutdown until its keepalive ends: tests do not wait for it.
        .put("shutdown_timeout", 1);
  }

  MicrometerMetrics deploy(JsonObject overrides) throws Exception {
    return deploy(overrides, 1);
  }

  MicrometerMetrics deploy(JsonObject overrides, int count) throws Exception {
    JsonObject config = Settings.of(settings().mergeIn(overrides)).toJson();
    vertx.deployVerticle(() -> {
      GatewayVerticle g = new GatewayVerticle();
      instances.add(g);
      return g;
    }, new DeploymentOptions().setInstances(count).setConfig(config)).await(20, TimeUnit.SECONDS);
    return (MicrometerMetrics) Metrics.of(vertx);
  }

  /** Sessions of every instance's engine. */
  int engineSessions() {
    return instances.stream().mapToInt(g -> g.engine().sessionCount()).sum();
  }

  void broadcast(String stream, String message) {
    vertx.eventBus().publish(Addresses.broadcastAddress(stream), StreamBroadcast.newBuilder()
        .setStream(stream).setMessage(ByteString.copyFromUtf8(message)).build());
  }

  /**
   * Lets time pass on a Vert.x timer: the scenario itself is a client that stays away for a while
   * (nothing is awaited), so there is no event to wait for instead.
   */
  void stayAway(Duration d) throws Exception {
    vertx.timer(d.toMillis(), TimeUnit.MILLISECONDS).await(d.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }
}
