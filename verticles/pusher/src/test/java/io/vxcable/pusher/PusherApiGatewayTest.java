package io.vxcable.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.broadcast.BroadcastVerticle;
import io.vxcable.config.Settings;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.gateway.GatewayVerticle;
import io.vxcable.presence.PresenceVerticle;
import io.vxcable.testkit.FreePorts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pusher HTTP API on the gateway's main port, forwarded to the broadcast verticle, signed as
 * Pusher's server SDKs sign (every query parameter but the signature, sorted): triggers reach the
 * subscribers (but the excluded socket), batches, presence users, the 401s of bad signatures, CORS.
 */
class PusherApiGatewayTest {

  Vertx vertx;
  int port;
  HttpClient http;
  long now = System.currentTimeMillis() / 1000;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = FreePorts.next();
    JsonObject conf = new JsonObject().put("host", "127.0.0.1").put("port", port).put("pusher_app_id", "my-id")
        .put("pusher_app_key", "detox").put("pusher_secret", PusherTestClient.SECRET)
        .put("http_broadcast_port", FreePorts.next()).put("shutdown_timeout", 1);
    JsonObject resolved = Settings.fromVerticleConfig(conf, Map.of()).toJson();
    // Presence in memory; no broker verticle, so publications go straight to the hubs.
    vertx.deployVerticle(new PresenceVerticle(), new DeploymentOptions().setConfig(
        Settings.fromVerticleConfig(new JsonObject().put("broker", "memory"), Map.of()).toJson())).await(20, TimeUnit.SECONDS);
    vertx.deployVerticle(new BroadcastVerticle(), new DeploymentOptions().setConfig(resolved)).await(20, TimeUnit.SECONDS);
    vertx.deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(resolved)).await(20, TimeUnit.SECONDS);
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** Pusher's request signature, as the {@code pusher} SDK computes it. */
  static String signedQuery(String method, String path, String body, String secret, long timestamp) throws Exception {
    Map<String, String> params = new TreeMap<>();
    params.put("auth_key", "detox");
    params.put("auth_timestamp", Long.toString(timestamp));
    params.put("auth_version", "1.0");
    if (body != null) {
      params.put("body_md5", HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
          .digest(body.getBytes(StandardCharsets.UTF_8))));
    }
    String query = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = HexFormat.of().formatHex(mac.doFinal((method + "\n" + path + "\n" + query).getBytes(StandardCharsets.UTF_8)));
    return query + "&auth_signature=" + signature;
  }

  record Answer(int status, String body) {}

  Answer request(HttpMethod method, String path, String body, String secret, long timestamp) throws Exception {
    String uri = path + "?" + signedQuery(method.name(), path, body, secret, timestamp);
    // The body is asked for as the response comes (on the event loop), before it can be lost.
    return http.request(method, port, "127.0.0.1", uri)
        .compose(req -> body == null ? req.send() : req.putHeader("Content-Type", "application/json").send(body))
        .compose(res -> res.body().map(b -> new Answer(res.statusCode(), b.toString())))
        .await(10, TimeUnit.SECONDS);
  }

  Answer post(String path, String body) throws Exception {
    return request(HttpMethod.POST, path, body, PusherTestClient.SECRET, now);
  }

  @Test
  void aTriggerReachesEveryChannelsSubscribersButTheExcludedSocket() throws Exception {
    PusherTestClient a = new PusherTestClient(vertx, port, "7.1");
    PusherTestClient b = new PusherTestClient(vertx, port, "7.2");
    a.subscribe("news", null, null);
    a.subscribed("news");
    b.subscribe("sport", null, null);
    b.subscribed("sport");

    String body = "{\"name\":\"test-event\",\"data\":\"{\\\"message\\\":\\\"hi\\\"}\",\"channels\":[\"news\",\"sport\"]}";
    Answer ok = post("/apps/my-id/events", body);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(new JsonObject(ok.body())).isEqualTo(new JsonObject());
    JsonObject got = a.next();
    assertThat(got.getString("event")).isEqualTo("test-event");
    assertThat(got.getString("channel")).isEqualTo("news");
    assertThat(got.getString("data")).isEqualTo("{\"message\":\"hi\"}");
    assertThat(b.next().getString("channel")).isEqualTo("sport");

    b.subscribe("news", null, null);
    b.subscribed("news");
    assertThat(post("/apps/my-id/events", "{\"name\":\"e2\",\"data\":\"x\",\"channel\":\"news\",\"socket_id\":\"7.1\"}")
        .status()).isEqualTo(200);
    assertThat(b.next().getString("event")).isEqualTo("e2");
    a.pingPong();

    String batch = "{\"batch\":[{\"channel\":\"news\",\"name\":\"b1\",\"data\":\"1\"},{\"channel\":\"sport\",\"name\":\"b2\",\"data\":\"2\"}]}";
    Answer batched = post("/apps/my-id/batch_events", batch);
    assertThat(batched.status()).isEqualTo(200);
    assertThat(a.next().getString("event")).isEqualTo("b1");
  }

  @Test
  void badSignaturesAreRefusedWithPushersStatus() throws Exception {
    String body = "{\"name\":\"e\",\"data\":\"x\",\"channel\":\"news\"}";
    assertThat(request(HttpMethod.POST, "/apps/my-id/events", body, "wrong", now).status()).isEqualTo(401);
    Answer stale = request(HttpMethod.POST, "/apps/my-id/events", body, PusherTestClient.SECRET, now - 3600);
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.body()).contains("Timestamp expired");
    String uri = "/apps/my-id/events?" + signedQuery("POST", "/apps/my-id/events", body, PusherTestClient.SECRET, now);
    int tampered = http.request(HttpMethod.POST, port, "127.0.0.1", uri)
        .compose(req -> req.send(body.replace("x", "y"))).compose(res -> res.body().map(b -> res.statusCode()))
        .await(10, TimeUnit.SECONDS);
    assertThat(tampered).as("the body is not the one signed").isEqualTo(401);
    assertThat(post("/apps/other-id/events", body).status()).as("another app").isEqualTo(404);
  }

  @Test
  void corsFollowsAllowedOriginsWithAPreflight() throws Exception {
    String origin = http.request(HttpMethod.OPTIONS, port, "127.0.0.1", "/apps/my-id/events")
        .compose(req -> req.putHeader("Origin", "https://app.example").send())
        .compose(res -> res.body().map(b -> res.statusCode() + " " + res.getHeader("Access-Control-Allow-Origin")))
        .await(10, TimeUnit.SECONDS);
    assertThat(origin).as("no --allowed_origins: any origin").isEqualTo("200 *");
  }

  @Test
  void presenceUsersAreListedAndOtherChannelsRefused() throws Exception {
    PusherTestClient a = new PusherTestClient(vertx, port, "8.1");
    String member = "{\"user_id\":\"312\",\"user_info\":{\"name\":\"Vova\"}}";
    a.subscribe("presence-test", PusherTestClient.sign("8.1:presence-test:" + member), member);
    a.subscribed("presence-test");

    Answer users = request(HttpMethod.GET, "/apps/my-id/channels/presence-test/users", null, PusherTestClient.SECRET, now);
    assertThat(users.status()).isEqualTo(200);
    assertThat(new JsonObject(users.body())).isEqualTo(new JsonObject()
        .put("users", new JsonArray().add(new JsonObject().put("id", "312"))));
    Answer none = request(HttpMethod.GET, "/apps/my-id/channels/presence-empty/users", null, PusherTestClient.SECRET, now);
    assertThat(new JsonObject(none.body()).getJsonArray("users")).isEmpty();
    assertThat(request(HttpMethod.GET, "/apps/my-id/channels/news/users", null, PusherTestClient.SECRET, now).status())
        .isEqualTo(400);
  }
}
