package io.vxcable.bench;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.VirtualMachine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code profile}: where a running JVM's CPU goes, kernel frames included. Attaches async-profiler
 * (shipped in this jar) to {@code --pid} for {@code --seconds}, writes a flame graph
 * ({@code --out *.html}) or collapsed stacks (any other name), and prints a summary: samples, the
 * shares spent in the kernel, in the garbage collector and in the JIT compiler, and the frames
 * with the most samples of their own. Run the load of interest meanwhile (another
 * {@code cable-bench} or {@code ../shared/bench}). {@code --event cpu} (perf events) falls back
 * to {@code itimer} where perf events are not allowed.
 */
final class Profile {

  private final Options o;

  Profile(Options o) {
    this.o = o;
  }

  JsonObject run() throws Exception {
    int pid = o.integer("pid", 0);
    if (pid <= 0) {
      throw new IllegalArgumentException("profile needs --pid <the JVM to profile>");
    }
    if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
      throw new IllegalArgumentException("profile needs a JDK (its attach API, module jdk.attach), not a JRE");
    }
    Path out = Path.of(o.string("out", "profile-" + pid + ".html")).toAbsolutePath();
    String interval = o.string("interval", "1ms");
    Path lib = library();
    Path collapsed = Files.createTempFile("profile-" + pid + "-", ".collapsed");
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
    String event = o.string("event", "cpu");
    try {
      try {
        vm.loadAgentPath(lib.toString(), "start,event=" + event + ",interval=" + interval);
      } catch (AgentInitializationException e) {
        if (!event.equals("cpu")) {
          throw new IllegalArgumentException("the profiler refused event " + event + " (see the target's output)");
        }
        event = "itimer";
        vm.loadAgentPath(lib.toString(), "start,event=itimer,interval=" + interval);
      }
      Progress.print("profile", "profiling " + pid + " for " + o.integer("seconds", 10) + " s (" + event + ")");
      Thread.sleep(o.integer("seconds", 10) * 1000L);
      vm.loadAgentPath(lib.toString(), "stop,file=" + collapsed + ",collapsed");
      if (out.toString().endsWith(".html")) {
        vm.loadAgentPath(lib.toString(), "dump,file=" + out);
      } else {
        Files.copy(collapsed, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      vm.detach();
    }
    JsonObject summary = summarize(Files.readAllLines(collapsed), o.integer("top", 15));
    Files.deleteIfExists(collapsed);
    return new JsonObject().put("mode", "profile").put("pid", pid).put("event", event).put("interval", interval)
        .put("seconds", o.integer("seconds", 10)).put("out", out.toString()).mergeIn(summary);
  }

  /** Shares of kernel, GC and JIT time and the frames with most samples of their own, from collapsed stacks. */
  static JsonObject summarize(List<String> lines, int top) {
    long total = 0;
    long kernel = 0;
    long gc = 0;
    long jit = 0;
    Map<String, Long> self = new HashMap<>();
    for (String line : lines) {
      int space = line.lastIndexOf(' ');
      String count = space < 0 ? "" : line.substring(space + 1).trim();
      if (count.isEmpty() || !count.chars().allMatch(Character::isDigit)) {
        continue;
      }
      long n = Long.parseLong(count);
      String stack = line.substring(0, space);
      String leaf = stack.substring(stack.lastIndexOf(';') + 1);
      total += n;
      if (leaf.endsWith("_[k]")) {
        kernel += n;
      }
      if (stack.contains("G1") || stack.contains("GangWorker") || stack.contains("WorkerThread::") || stack.contains("ConcurrentGCThread")) {
        gc += n;
      } else if (stack.contains("CompileBroker")) {
        jit += n;
      }
      self.merge(leaf, n, Long::sum);
    }
    long all = Math.max(1, total);
    JsonArray frames = new JsonArray();
    self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> frames.add(new JsonObject().put("frame", e.getKey()).put("share", share(e.getValue(), all))));
    return new JsonObject().put("samples", total).put("kernel_share", share(kernel, all)).put("gc_share", share(gc, all))
        .put("jit_share", share(jit, all)).put("top_self", frames);
  }

  private static double share(long part, long all) {
    return Math.round(1000.0 * part / all) / 1000.0;
  }

  /** The profiler's native library for this machine, out of the jar into a temporary file. */
  private static Path library() throws IOException {
    String arch = System.getProperty("os.arch");
    String dir = arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64" : arch.equals("aarch64") ? "linux-arm64" : null;
    if (dir == null || !System.getProperty("os.name").toLowerCase().contains("linux")) {
      throw new IllegalArgumentException("profile runs on Linux x64 or arm64 only");
    }
    Path lib = Files.createTempFile("libasyncProfiler-", ".so");
    lib.toFile().deleteOnExit();
    try (InputStream in = Profile.class.getResourceAsStream("/" + dir + "/libasyncProfiler.so")) {
      if (in == null) {
        throw new IOException(dir + "/libasyncProfiler.so is not in this jar");
      }
      Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
    }
    return lib;
  }
}
