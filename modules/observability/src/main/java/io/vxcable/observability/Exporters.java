package io.vxcable.observability;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vxcable.config.ConfigException;
import io.vxcable.observability.MicrometerMetrics.Sample;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process's exporters, on one daemon thread of their own (they outlive any verticle): the
 * interval gauges' refresh, the {@code --metrics_log} lines and the StatsD datagrams every
 * {@code --metrics_rotate_interval}, and the Prometheus endpoint on its own listener when
 * {@code --metrics_port} or {@code --metrics_host} differ from the main listener's.
 */
final class Exporters implements Closeable {

  private static final Logger LOG = Logger.getLogger("io.vxcable.observability.metrics");

  private final MicrometerMetrics metrics;
  private final MetricsConfig config;
  private final ScheduledExecutorService timer;
  private HttpServer listener;
  private DatagramChannel statsd;
  private InetSocketAddress statsdAddress;
  private Map<String, Sample> loggedBefore = new TreeMap<>();
  private Map<String, Sample> sentBefore = new TreeMap<>();

  private Exporters(MicrometerMetrics metrics) {
    this.metrics = metrics;
    this.config = metrics.config();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vxcable-metrics");
      t.setDaemon(true);
      return t;
    });
  }

  static Exporters start(MicrometerMetrics metrics) {
    Exporters e = new Exporters(metrics);
    try {
      e.startAll();
    } catch (IOException | RuntimeException err) {
      e.close();
      throw err instanceof ConfigException c ? c : new ConfigException("metrics: " + err.getMessage());
    }
    return e;
  }

  private void startAll() throws IOException {
    MetricsConfig c = config;
    timer.scheduleAtFixedRate(this::refresh, c.refreshSeconds(), c.refreshSeconds(), TimeUnit.SECONDS);
    if (c.prometheus() && c.separateListener()) {
      listener = HttpServer.create(new InetSocketAddress(c.host(), c.port()), 64);
      listener.createContext(c.httpPath(), exchange -> {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", MicrometerMetrics.PROMETHEUS_TYPE);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      listener.setExecutor(timer);
      listener.start();
      LOG.info(() -> "Serve metrics at http://" + c.host() + ":" + listener.getAddress().getPort() + c.httpPath());
    } else if (c.prometheus()) {
      LOG.info(() -> "Serve metrics at " + c.httpPath() + " on the main listener");
    }
    if (!c.statsdHost().isEmpty()) {
      statsdAddress = address(c.statsdHost());
      statsd = DatagramChannel.open();
      LOG.info(() -> "Send statsd metrics to " + c.statsdHost() + " with " + c.statsdTagsFormat() + " tags");
    }
    if (c.log() || statsd != null) {
      timer.scheduleAtFixedRate(this::rotate, c.rotateSeconds(), c.rotateSeconds(), TimeUnit.SECONDS);
    }
    if (c.log()) {
      LOG.info(() -> "Log metrics every " + c.rotateSeconds() + "s"
          + (c.logFilter().isEmpty() ? "" : " (only selected fields: " + String.join(", ", c.logFilter()) + ")"));
    }
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException("--statsd_host must be host:port, got " + hostPort);
    }
    try {
      return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--statsd_host must be host:port, got " + hostPort);
    }
  }

  /** The port the separate Prometheus listener bound, or -1. */
  int listenerPort() {
    return listener == null ? -1 : listener.getAddress().getPort();
  }

  private void refresh() {
    try {
      metrics.refresh();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "metrics refresh failed", e);
    }
  }

  private void rotate() {
    try {
      metrics.refresh();
      SortedMap<String, Sample> now = metrics.snapshot();
      if (config.log()) {
        LOG.info(MetricsLog.line(now, loggedBefore, config.logFilter()));
        loggedBefore = now;
      }
      if (statsd != null) {
        send(now);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "metrics export failed", e);
    }
  }

  private void send(SortedMap<String, Sample> now) {
    StatsdFormat format = new StatsdFormat(config.statsdPrefix(), config.statsdTagsFormat(), config.tags());
    List<String> lines = format.lines(now, sentBefore);
    sentBefore = now;
    for (byte[] packet : StatsdFormat.packets(lines, config.statsdMaxPacketSize())) {
      try {
        statsd.send(ByteBuffer.wrap(packet), statsdAddress);
      } catch (IOException e) {
        LOG.fine(() -> "statsd send failed: " + e.getMessage());
      }
    }
  }

  @Override
  public void close(Completable<Void> completion) {
    close();
    completion.succeed();
  }

  void close() {
    timer.shutdownNow();
    if (listener != null) {
      listener.stop(0);
    }
    if (statsd != null) {
      try {
        statsd.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
