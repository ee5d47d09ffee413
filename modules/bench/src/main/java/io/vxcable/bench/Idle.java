package io.vxcable.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code idle}: N subscribed connections (WebSockets, SSE streams with {@code --transport sse}, or
 * long-polling clients each with a poll waiting with {@code --transport poll})
 * that then stay quiet; the server's resident memory
 * ({@code /proc/<pid>/status} VmRSS) before and after, and for a JVM server its used heap after
 * a full GC ({@code jcmd}), per connection.
 */
final class Idle {

  /** Heap lines of every collector ("garbage-first heap", "def new generation", "PSYoungGen"...), not Metaspace. */
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private final Vertx vertx;
  private final Options o;

  Idle(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 10_000);
    long pid = Long.parseLong(o.string("pid", "0"));
    if (pid <= 0) {
      throw new IllegalArgumentException("idle needs --pid <server pid> to read its memory");
    }
    boolean jvm = Boolean.parseBoolean(o.string("jvm", "false"));
    Protocol protocol = Protocol.of(o.string("protocol", "actioncable"));
    long heapBefore = jvm ? heapUsedKb(pid) : -1;
    long rssBefore = rssKb(pid);
    String transport = o.string("transport", "websocket");
    boolean sse = "sse".equals(transport);
    boolean poll = "poll".equals(transport);
    long t0 = System.nanoTime();
    int failed;
    Clients pool = null;
    SseClients streams = null;
    PollClients polls = null;
    if (poll) {
      polls = new PollClients(vertx, o.string("url", "http://127.0.0.1:8080/lp"), o.string("stream", "idle"),
          o.list("local-addresses", ""));
      polls.connect(clients, o.integer("concurrency", 200)).await(20, TimeUnit.MINUTES);
      failed = polls.failed.get();
    } else if (sse) {
      streams = new SseClients(vertx, o.string("url", "http://127.0.0.1:8080/events"), o.string("stream", "idle"),
          o.list("local-addresses", ""));
      streams.connect(clients, o.integer("concurrency", 200)).await(20, TimeUnit.MINUTES);
      failed = streams.failed.get();
    } else {
      pool = new Clients(vertx, o.string("url", "ws://127.0.0.1:8080/cable"), protocol, o.string("stream", "idle"),
          o.list("local-addresses", ""));
      pool.connect(clients, o.integer("concurrency", 200), frame -> { }).await(20, TimeUnit.MINUTES);
      failed = pool.failed.get();
    }
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    int connected = clients - failed;
    Thread.sleep(TimeUnit.SECONDS.toMillis(o.integer("settle-seconds", 10)));
    long heapAfter = jvm ? heapUsedKb(pid) : -1;
    long rssAfter = rssKb(pid);
    (poll ? polls.close() : sse ? streams.close() : pool.close()).await(120, TimeUnit.SECONDS);
    JsonObject out = new JsonObject().put("mode", "idle").put("target", o.string("target", "vxcable"))
        .put("protocol", poll || sse ? transport : protocol.name().toLowerCase()).put("clients", clients).put("connected", connected)
        .put("connect_seconds", Fanout.round(connectSeconds)).put("rss_before_kb", rssBefore).put("rss_after_kb", rssAfter)
        .put("rss_per_connection_kb", connected == 0 ? 0 : Fanout.round((double) (rssAfter - rssBefore) / connected));
    if (jvm) {
      out.put("heap_before_kb", heapBefore).put("heap_after_kb", heapAfter)
          .put("heap_per_connection_kb", connected == 0 ? 0 : Fanout.round((double) (heapAfter - heapBefore) / connected));
    }
    return out;
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for pid " + pid);
  }

  static long heapUsedKb(long pid) throws Exception {
    run("jcmd", String.valueOf(pid), "GC.run");
    String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    long used = 0;
    boolean any = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      any = true;
    }
    if (!any) {
      throw new IOException("jcmd printed no heap usage for pid " + pid + ": " + info);
    }
    return used;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }
}
