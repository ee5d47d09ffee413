package io.vxcable.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A private {@code prometheus} (the Debian package) on a free loopback port, scraping the given
 * targets as job {@value #JOB}, with its TSDB in a fresh temporary directory that {@link #close()}
 * removes. Never the system instance on 9090.
 */
public final class PrometheusServer implements AutoCloseable {

  /** The job name every target is scraped under. */
  public static final String JOB = "vxcable";

  private final int port;
  private final Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private LocalProcess process;

  private PrometheusServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts one scraping {@code scrapeTarget} ({@code host:port}) at {@code metricsPath} every
   * {@code scrapeInterval}, and waits until {@code /-/ready} answers 200 and the target is
   * discovered (Prometheus hands static targets to its scrapers only after about 5 s).
   */
  public static PrometheusServer start(String scrapeTarget, String metricsPath, Duration scrapeInterval) throws IOException {
    return start(List.of(scrapeTarget), metricsPath, scrapeInterval);
  }

  /**
   * Starts one scraping every target of {@code scrapeTargets} (each {@code host:port}) at
   * {@code metricsPath}. Each sample carries its target as the {@code instance} label and the
   * target's position in the list as the {@code node} label ({@code "0"}, {@code "1"}, ...).
   * Waits until it is ready and all targets are discovered.
   */
  public static PrometheusServer start(List<String> scrapeTargets, String metricsPath, Duration scrapeInterval)
      throws IOException {
    if (scrapeTargets.isEmpty()) {
      throw new IllegalArgumentException("no scrape target");
    }
    PrometheusServer p = new PrometheusServer(FreePorts.next(), Files.createTempDirectory("prometheus-"));
    try {
      Path config = p.dir.resolve("prometheus.yml");
      Files.writeString(config, config(scrapeTargets, metricsPath, scrapeInterval));
      p.process = LocalProcess.start(List.of("prometheus",
          "--config.file=" + config,
          "--storage.tsdb.path=" + p.dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + p.port,
          "--log.level=warn"), () -> p.ready(scrapeTargets.size()));
      return p;
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private static String config(List<String> targets, String metricsPath, Duration interval) {
    String every = interval.toMillis() + "ms";
    StringBuilder y = new StringBuilder()
        .append("global:\n")
        .append("  scrape_interval: ").append(every).append('\n')
        .append("  scrape_timeout: ").append(every).append('\n')
        .append("  evaluation_interval: ").append(every).append('\n')
        .append("scrape_configs:\n")
        .append("  - job_name: ").append(JOB).append('\n')
        .append("    metrics_path: ").append(quoted(metricsPath)).append('\n')
        .append("    static_configs:\n");
    for (int i = 0; i < targets.size(); i++) {
      y.append("      - targets: [").append(quoted(targets.get(i))).append("]\n")
          .append("        labels: {node: \"").append(i).append("\"}\n");
    }
    return y.toString();
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public int port() {
    return port;
  }

  /** The base URL of its HTTP API and UI, e.g. {@code http://127.0.0.1:23456}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Runs an instant PromQL query and returns {@code data.result} (for a vector: one object per series). */
  public JsonArray query(String promql) {
    return api("/api/v1/query?query=" + encode(promql)).getJsonArray("result");
  }

  /**
   * The value of an instant query that yields one sample (or a scalar); {@code NaN} when it yields
   * nothing. Fails when it yields several series.
   */
  public double value(String promql) {
    JsonObject data = api("/api/v1/query?query=" + encode(promql));
    JsonArray result = data.getJsonArray("result");
    if ("scalar".equals(data.getString("resultType"))) {
      return Double.parseDouble(result.getString(1));
    }
    if (result.isEmpty()) {
      return Double.NaN;
    }
    if (result.size() > 1) {
      throw new IllegalStateException(promql + " yields " + result.size() + " series: " + result.encode());
    }
    return Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  /**
   * The metric types the targets of {@code job} declared in their last scrape ({@code # TYPE}):
   * metric name to {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or
   * {@code unknown}. Empty until the first scrape.
   */
  public Map<String, String> metricTypes(String job) {
    JsonArray entries = apiArray("/api/v1/targets/metadata?match_target=" + encode("{job=\"" + job + "\"}"));
    Map<String, String> types = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      types.putIfAbsent(e.getString("metric"), e.getString("type"));
    }
    return types;
  }

  /** The metric types of job {@value #JOB}; see {@link #metricTypes(String)}. */
  public Map<String, String> metricTypes() {
    return metricTypes(JOB);
  }

  /** Whether there is at least one active target and every one's last scrape succeeded ({@code health == "up"}). */
  public boolean targetsUp() {
    JsonArray active = api("/api/v1/targets?state=active").getJsonArray("activeTargets");
    if (active == null || active.isEmpty()) {
      return false;
    }
    for (int i = 0; i < active.size(); i++) {
      if (!"up".equals(active.getJsonObject(i).getString("health"))) {
        return false;
      }
    }
    return true;
  }

  private JsonObject api(String pathAndQuery) {
    return (JsonObject) call(pathAndQuery).getValue("data");
  }

  private JsonArray apiArray(String pathAndQuery) {
    return (JsonArray) call(pathAndQuery).getValue("data");
  }

  /** GET on the API; fails with the body unless it answers {@code "status": "success"}. */
  private JsonObject call(String pathAndQuery) {
    try {
      HttpResponse<String> r = get(pathAndQuery);
      JsonObject body = r.body().startsWith("{") ? new JsonObject(r.body()) : new JsonObject();
      if (r.statusCode() != 200 || !"success".equals(body.getString("status"))) {
        throw new IllegalStateException("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(5)).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Ready, and all {@code targets} are active (discovered), so the first scrape is at most one interval away. */
  private boolean ready(int targets) {
    try {
      return get("/-/ready").statusCode() == 200
          && api("/api/v1/targets?state=active").getJsonArray("activeTargets").size() == targets;
    } catch (IOException | RuntimeException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s), waits for it, and deletes its directory. */
  @Override
  public void close() {
    if (process != null) {
      process.stop();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort: it is a temporary directory
    }
  }
}
