package io.vxcable.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import java.util.concurrent.TimeUnit;

/** Deploys a gateway with a complete resolved configuration (anycable-go defaults plus overrides). */
final class GatewayFixture {

  private GatewayFixture() {}

  static JsonObject defaults(int port) throws Exception {
    return new JsonObject()
        .put("host", "127.0.0.1").put("port", port).put("path", "/cable").put("health-path", "/health")
        .put("allowed_origins", "").put("max-conn", 0).put("max_message_size", 65536)
        .put("ssl_cert", "").put("ssl_key", "").put("enable_ws_compression", false)
        .put("ws_write_timeout", 2).put("ws_max_pending_size", 1048576)
        .put("ping_interval", 3).put("ping_timestamp_precision", "s").put("pong_timeout", 0)
        .put("enable_native_pings", false).put("norpc", true).put("noauth", true).put("public_streams", true)
        .put("streams_secret", "").put("streams_whisper", false).put("streams_presence", true)
        .put("turbo_streams", false).put("turbo_streams_secret", "").put("cable_ready", false)
        .put("cable_ready_secret", "").put("jwt_secret", "").put("jwt_param", "jid").put("enforce_jwt", false)
        .put("http_broadcast_path", "/_broadcast").put("broadcast_adapter", "http").put("http_broadcast_port", 8090)
        .put("shutdown_timeout", 5).put("shutdown_delay", 0).put("headers", "cookie").put("proxy-cookies", "")
        .put("disconnect_mode", "auto").put("rpc_command_timeout", 3000).put("broker", "").put("sessions_ttl", 300).put("presence_ttl", 15)
        .put("api_path", "/api").put("api_port", 0).put("api_secret", "").put("public", false)
        .put("http_broadcast_secret", "").put("http_read_header_timeout", 5).put("http_read_timeout", 30)
        .put("http_idle_timeout", 60).put("http_max_body_size", 4194304).put("max_subscriptions_per_connection", 1000);
  }

  static String deploy(Vertx vertx, JsonObject settings) throws Exception {
    return vertx.deployVerticle(new GatewayVerticle(),
            new DeploymentOptions().setConfig(Settings.of(settings).toJson()))
        .await(20, TimeUnit.SECONDS);
  }

  static int freePort() throws Exception {
    return io.vxcable.testkit.FreePorts.next();
  }
}
