package io.vxcable.launcher;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one-process bundle with a broker: a session restored by its sid and its history replayed
 * show up in the restore metrics, publications in the intake and store metrics.
 */
class RestoreMetricsTest extends BundleCase {

  @Test
  void restoresReplaysAndStoresAreCounted() throws Exception {
    Settings s = ConfigResolver.fromCommandLine(List.of("--port=" + port, "--public", "--broker=memory",
        "--http_broadcast_port=" + port, "--metrics_log", "--norpc"), Map.of(), Path.of("/nonexistent")).settings();
    vertx.deployVerticle(new BundleVerticle(), new DeploymentOptions().setConfig(s.toJson())).await(20, TimeUnit.SECONDS);
    MicrometerMetrics m = (MicrometerMetrics) Metrics.of(vertx);
    String sid;
    JsonObject last;
    try (Client c = new Client("")) {
      sid = c.next("welcome").getString("sid");
      c.send(new JsonObject().put("command", "subscribe").put("identifier", ROOM));
      c.next("confirm_subscription");
      publish("one");
      last = c.next("message");
    }
    publish("two");
    publish("three");
    try (Client c = new Client("?sid=" + sid)) {
      assertThat(c.next("welcome").getBoolean("restored")).isTrue();
      c.send(new JsonObject().put("command", "history").put("identifier", ROOM).put("history", new JsonObject()
          .put("streams", new JsonObject().put("room", new JsonObject().put("epoch", last.getString("epoch"))
              .put("offset", last.getLong("offset"))))));
      assertThat(c.next("message").getString("message")).isEqualTo("two");
      assertThat(c.next("message").getString("message")).isEqualTo("three");
      c.next("confirm_history");
    }
    try (Client c = new Client("?sid=unknown")) {
      assertThat(c.next("welcome").getBoolean("restored", false)).isFalse();
    }
    eventually(() -> {
      assertThat(m.value("sessions_restored_total")).isEqualTo(1);
      assertThat(m.value("sessions_restore_missed_total")).isEqualTo(1);
      assertThat(m.value("history_replayed_total")).isEqualTo(1);
      assertThat(m.value("history_rejected_total")).isZero();
      assertThat(m.value("publications_total")).isEqualTo(3);
    });
    assertThat(m.registry().get("anycable_go_history_replay_messages").summary().totalAmount()).isEqualTo(2);
    assertThat(m.registry().get("anycable_go_broadcast_store_seconds").timer().count()).isEqualTo(3);
    assertThat(m.registry().get("anycable_go_broadcast_delivery_seconds").timer().count()).isEqualTo(1);
  }
}
