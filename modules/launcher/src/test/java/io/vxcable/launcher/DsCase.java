package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * The one-process bundle with a memory broker and {@code --ds}, read over plain HTTP: what the
 * Durable Streams tests share. Publications go through {@code /_broadcast} on the main port, so
 * they are stamped and stored by the broker before the publisher's 201.
 */
abstract class DsCase {

  final Vertx vertx = Vertx.vertx();
  final int port = FreePorts.next();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  String deployment;

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** Deploys the bundle with {@code --ds}, metrics, {@code flags} and a memory broker unless they name one. */
  MicrometerMetrics start(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port=" + port, "--http_broadcast_port=" + port, "--ds",
        "--metrics_log", "--stats_refresh_interval=1"));
    args.addAll(List.of(flags));
    if (args.stream().noneMatch(a -> a.startsWith("--broker="))) {
      args.add("--broker=memory");
    }
    Settings s = ConfigResolver.fromCommandLine(args, Map.of(), Path.of("/nonexistent")).settings();
    deployment = vertx.deployVerticle(new BundleVerticle(), new DeploymentOptions().setConfig(s.toJson()))
        .await(20, TimeUnit.SECONDS);
    return (MicrometerMetrics) Metrics.of(vertx);
  }

  /** Publishes {@code data} (JSON text) to {@code stream}; stored once this returns. */
  void publish(String stream, String data) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_broadcast"))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("stream", stream).put("data", data).encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
  }

  HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    return http.send(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery, String... headers) {
    return http.sendAsync(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> head(String pathAndQuery, String... headers) throws Exception {
    return http.send(request(pathAndQuery, headers).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String pathAndQuery, String... headers) throws Exception {
    return http.send(request(pathAndQuery, headers).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code Stream-Next-Offset} of a HEAD of {@code stream}. */
  String tail(String stream) throws Exception {
    HttpResponse<String> r = head("/ds/" + stream);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("Stream-Next-Offset").orElseThrow();
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
