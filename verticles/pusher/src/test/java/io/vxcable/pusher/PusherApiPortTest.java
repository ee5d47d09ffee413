package io.vxcable.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vxcable.broadcast.BroadcastVerticle;
import io.vxcable.config.Settings;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.gateway.GatewayVerticle;
import io.vxcable.testkit.FreePorts;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --pusher_api_port}: the Pusher HTTP API is served by the broadcast verticle on that port,
 * and no longer on the main port; triggers there reach the WebSocket clients of the main port.
 */
class PusherApiPortTest {

  Vertx vertx;
  int port;
  int apiPort;
  HttpClient http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = FreePorts.next();
    apiPort = FreePorts.next();
    JsonObject conf = new JsonObject().put("host", "127.0.0.1").put("port", port).put("pusher_app_id", "my-id")
        .put("pusher_app_key", "detox").put("pusher_secret", PusherTestClient.SECRET).put("pusher_api_port", apiPort)
        .put("http_broadcast_port", FreePorts.next()).put("shutdown_timeout", 1);
    JsonObject resolved = Settings.fromVerticleConfig(conf, Map.of()).toJson();
    vertx.deployVerticle(new BroadcastVerticle(), new DeploymentOptions().setConfig(resolved)).await(20, TimeUnit.SECONDS);
    vertx.deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(resolved)).await(20, TimeUnit.SECONDS);
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  int post(int to, String body) throws Exception {
    String path = "/apps/my-id/events";
    String uri = path + "?" + PusherApiGatewayTest.signedQuery("POST", path, body, PusherTestClient.SECRET,
        System.currentTimeMillis() / 1000);
    return http.request(HttpMethod.POST, to, "127.0.0.1", uri).compose(req -> req.send(body))
        .compose(res -> res.body().map(b -> res.statusCode())).await(10, TimeUnit.SECONDS);
  }

  @Test
  void theApiIsOnItsOwnPortOnly() throws Exception {
    PusherTestClient c = new PusherTestClient(vertx, port, null);
    c.subscribe("news", null, null);
    c.subscribed("news");
    String body = "{\"name\":\"e\",\"data\":\"1\",\"channel\":\"news\"}";
    assertThat(post(port, body)).as("not on the main port").isEqualTo(404);
    assertThat(post(apiPort, body)).isEqualTo(200);
    JsonObject got = c.next();
    assertThat(got.getString("event")).isEqualTo("e");
    assertThat(got.getString("channel")).isEqualTo("news");
  }
}
