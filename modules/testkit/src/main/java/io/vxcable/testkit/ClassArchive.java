package io.vxcable.testkit;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the packaged server (JDK 17's dynamic AppCDS), made once per
 * build of the jar by starting one server and stopping it: every server a test starts afterwards
 * maps the classes instead of loading them, about 0.7 s and 0.9 s of CPU less per start here.
 * The archive's name carries the jar's size and time, so a rebuilt jar gets a new one (a stale
 * archive would only be refused by the JVM, with a warning in the server log). Test JVMs running
 * side by side may both make it; the first rename wins. When anything fails, servers start
 * without it.
 */
final class ClassArchive {

  private static volatile List<String> options;

  private ClassArchive() {}

  /** The JVM options that use the archive of {@code jar}, making it first if needed; none on failure. */
  static synchronized List<String> options(Path java, Path jar) {
    if (options == null) {
      options = make(java, jar);
    }
    return options;
  }

  private static List<String> make(Path java, Path jar) {
    if (Boolean.getBoolean("vxcable.cds.off")) {
      return List.of();
    }
    try {
      Path archive = jar.resolveSibling("vxcable-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
      if (!Files.isRegularFile(archive)) {
        Path tmp = Files.createTempFile(jar.getParent(), "vxcable-cds-", ".tmp");
        Files.delete(tmp);
        int port = FreePorts.next();
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:ArchiveClassesAtExit=" + tmp, "-jar",
            jar.toString(), "--host=127.0.0.1", "--port=" + port, "--http_broadcast_port=" + FreePorts.next(), "--public",
            "--log_level=warn"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
          awaitHealth(port, p);
        } finally {
          p.destroy();
          p.waitFor(60, TimeUnit.SECONDS);
        }
        if (!Files.isRegularFile(tmp)) {
          return List.of();
        }
        try {
          Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException anotherTestJvmWasFirst) {
          Files.deleteIfExists(tmp);
        }
      }
      return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    } catch (IOException | RuntimeException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static void awaitHealth(int port, Process p) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive() && !ServerProcess.healthy(http, port)) {
      Thread.sleep(100);
    }
  }
}
