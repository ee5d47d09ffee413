package io.vxcable.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A service process a test started (redis-server, nats-server): started until ready, stopped by its own handle. */
final class LocalProcess {

  private final Process process;

  private LocalProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code cmd} with its output in a temporary log and waits up to 15 s for {@code ready};
   * fails with the log when the process exits or the time runs out.
   */
  static LocalProcess start(List<String> cmd, BooleanSupplier ready) throws IOException {
    Path log = Files.createTempFile(Path.of(cmd.get(0)).getFileName() + "-", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!ready.getAsBoolean()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not become ready: " + Files.readString(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException(e);
      }
    }
    return new LocalProcess(p);
  }

  /** SIGTERM, then SIGKILL after 10 s; waits for the exit. */
  void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
