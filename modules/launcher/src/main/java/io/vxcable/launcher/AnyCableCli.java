package io.vxcable.launcher;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vxcable.config.CliOutcome;
import io.vxcable.config.ConfigException;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.http.Fatal;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.observability.VertxMetrics;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code scripts/anycable}: the drop-in for the {@code anycable-go} command. Same flags, same
 * {@code ANYCABLE_*} variables, same defaults; starts the one-process bundle and shuts it down
 * gracefully on SIGTERM or SIGINT (clients get {@code server_restart}). With
 * {@code --broker=hazelcast} the process joins the Hazelcast cluster described by
 * {@code -Dvertx.hazelcast.config} (else the bundled loopback {@code cluster.xml}) first.
 */
public final class AnyCableCli {

  static {
    JvmDefaults.apply();
    // Before any logger exists: the log manager must be ours to survive JVM shutdown.
    Logging.install();
  }

  private static final Logger LOG = Logger.getLogger(AnyCableCli.class.getName());

  private AnyCableCli() {}

  public static void main(String[] args) {
    CliOutcome outcome;
    try {
      outcome = ConfigResolver.fromCommandLine(Arrays.asList(args), System.getenv(), Path.of("").toAbsolutePath());
    } catch (ConfigException e) {
      System.err.println("Error: " + e.getMessage());
      System.err.println("Run with --help to see the flags.");
      System.exit(1);
      return;
    }
    switch (outcome.kind()) {
      case HELP, VERSION, PRINT_CONFIG -> {
        System.out.print(outcome.text().endsWith("\n") ? outcome.text() : outcome.text() + "\n");
        System.exit(0);
      }
      default -> run(outcome.settings());
    }
  }

  static void run(Settings settings) {
    Logging.configure(settings.string("log_level"), settings.string("log_format"));
    LOG.info(() -> "Starting vxcable " + Version.VERSION + " (anycable-go 1.6 compatible), node_id="
        + settings.string("node_id"));
    boolean clustered = settings.string("broker").equals("hazelcast") || settings.bool("cluster");
    MicrometerMetrics metrics;
    try {
      metrics = VertxMetrics.create(settings);
    } catch (ConfigException e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(1);
      return;
    }
    VertxBuilder builder = VertxMetrics.bind(Vertx.builder().with(VertxMetrics.options(NativeTransport.prefer(new VertxOptions()), metrics)), metrics);
    Future<Vertx> started;
    if (clustered) {
      ClusterConfig cluster = new ClusterConfig(settings.string("cluster_name"), settings.list("cluster_members"),
          settings.integer("cluster_port"), settings.string("cluster_host"), settings.string("cluster_dns"));
      Config hz = cluster.hazelcast();
      LOG.info(() -> "Joining the Hazelcast " + cluster.describe(hz));
      started = builder.withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
    } else {
      started = Future.succeededFuture(builder.build());
    }
    started.onFailure(err -> {
      System.err.println("Error: failed to join the Hazelcast cluster: " + err.getMessage());
      System.exit(1);
    }).onSuccess(vertx -> {
      if (clustered) {
        LOG.info("Joined the Hazelcast cluster" + (settings.bool("cluster") ? "" : " (--broker=hazelcast)"));
      }
      deploy(vertx, settings, metrics);
    });
  }

  private static void deploy(Vertx vertx, Settings settings, MicrometerMetrics metrics) {
    Fatal.watch(vertx);
    NativeTransport.report(vertx);
    try {
      VertxMetrics.install(vertx, metrics);
    } catch (ConfigException e) {
      System.err.println("Error: " + e.getMessage());
      vertx.close().onComplete(ar -> System.exit(1));
      return;
    }
    JsonObject config = settings.toJson()
        .put("instances", new JsonObject().put("gateway", Runtime.getRuntime().availableProcessors()));
    int shutdownSeconds = Math.max(1, settings.integer("shutdown_timeout")) + settings.integer("shutdown_delay");
    Deployments deployments = new Deployments();
    Shutdown shutdown = new Shutdown(vertx, deployments, shutdownSeconds + 5L);
    shutdown.install();
    deployments.deploy(vertx, config, config)
        .onSuccess(v -> announce(settings))
        .onFailure(err -> {
          shutdown.abandon();
          System.err.println("Error: failed to start: " + err.getMessage());
          vertx.close().onComplete(ar -> System.exit(1));
        });
  }

  private static void announce(Settings s) {
    boolean tls = !s.string("ssl_cert").isEmpty();
    String host = s.string("host");
    String base = (tls ? "https://" : "http://") + host + ":" + s.integer("port");
    String ws = (tls ? "wss://" : "ws://") + host + ":" + s.integer("port");
    List<String> paths = s.list("path");
    for (String p : paths) {
      LOG.info("Handle WebSocket connections at " + ws + p);
    }
    LOG.info("Handle health requests at " + base + s.string("health-path"));
    if (s.list("broadcast_adapter").contains("http")) {
      String key = s.string("http_broadcast_secret");
      String b = (tls ? "https://" : "http://") + host + ":" + s.integer("http_broadcast_port")
          + s.string("http_broadcast_path");
      LOG.info("Accept broadcast requests at " + b + (key.isEmpty() ? " (no authorization)" : " (authorization required)"));
    }
    boolean api = s.bool("public") || s.integer("api_port") != 0 || !s.string("api_secret").isEmpty();
    if (api) {
      int apiPort = s.integer("api_port") == 0 ? s.integer("port") : s.integer("api_port");
      LOG.info("Handle REST API requests at " + (tls ? "https://" : "http://") + host + ":" + apiPort + s.string("api_path")
          + (s.string("api_secret").isEmpty() ? " (no authorization)" : " (authorization required)"));
    }
    if (!s.string("pusher_app_id").isEmpty() && !s.string("pusher_app_key").isEmpty()) {
      // anycable-go's lines: the API on the main port unless --pusher_api_port.
      int pusherPort = s.integer("pusher_api_port") == 0 ? s.integer("port") : s.integer("pusher_api_port");
      LOG.info("Handle Pusher WebSocket connections at " + base + "/app/" + s.string("pusher_app_key"));
      LOG.info("Handle Pusher API requests at " + (tls ? "https://" : "http://") + host + ":" + pusherPort
          + "/apps/" + s.string("pusher_app_id") + "/");
    }
    if (!s.bool("norpc")) {
      LOG.info("RPC calls go to " + s.string("rpc_host"));
    }
  }
}
