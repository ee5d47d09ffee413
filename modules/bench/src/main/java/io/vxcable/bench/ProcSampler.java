package io.vxcable.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Samples a process's CPU ({@code /proc/<pid>/stat}) and RSS ({@code /proc/<pid>/status}) over a window. */
final class ProcSampler {

  /** Clock ticks per second of {@code utime}/{@code stime} (Linux's USER_HZ). */
  private static final double TICKS = 100.0;

  /** Peak and mean CPU in cores, peak RSS, over a window. */
  record Peak(double maxCores, double avgCores, long maxRssKb, double seconds) {
    JsonObject json() {
      return new JsonObject().put("cpu_cores_peak", Fanout.round(maxCores)).put("cpu_cores_avg", Fanout.round(avgCores))
          .put("rss_mb_peak", Fanout.round(maxRssKb / 1024.0)).put("window_s", Fanout.round(seconds));
    }
  }

  private final long pid;

  ProcSampler(long pid) {
    this.pid = pid;
  }

  Peak sampleFor(long ms) throws Exception {
    long until = System.nanoTime() + ms * 1_000_000;
    return sampleUntil(() -> System.nanoTime() >= until, 250);
  }

  /** Samples every {@code everyMs} until {@code stop} says so. */
  Peak sampleUntil(BooleanSupplier stop, long everyMs) throws Exception {
    long t0 = System.nanoTime();
    long ticks0 = cpuTicks();
    long lastT = t0;
    long lastTicks = ticks0;
    double max = 0;
    long rss = Idle.rssKb(pid);
    while (!stop.getAsBoolean()) {
      Thread.sleep(everyMs);
      long t = System.nanoTime();
      long ticks = cpuTicks();
      max = Math.max(max, (ticks - lastTicks) / TICKS / ((t - lastT) / 1e9));
      rss = Math.max(rss, Idle.rssKb(pid));
      lastT = t;
      lastTicks = ticks;
    }
    double seconds = (lastT - t0) / 1e9;
    return new Peak(max, seconds <= 0 ? 0 : (lastTicks - ticks0) / TICKS / seconds, rss, seconds);
  }

  private long cpuTicks() throws IOException {
    return cpuTicks(pid);
  }

  /** A process's user + system CPU so far, in seconds. */
  static double cpuSeconds(long pid) throws IOException {
    return cpuTicks(pid) / TICKS;
  }

  /** The whole machine's idle time so far (every core), in seconds ({@code /proc/stat}). */
  static double idleSeconds() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
    return Long.parseLong(f[4]) / TICKS;
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name: state is field 3, utime 14, stime 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
