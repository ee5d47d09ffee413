package io.vxcable.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a Node test file ({@code node --test}) with extra environment variables, {@code npm ci} or any command, bounded in time. */
public final class NodeRunner {

  /** Exit code and everything the run printed. */
  public record Result(int exitCode, String output) {
    public boolean passed() {
      return exitCode == 0;
    }
  }

  private NodeRunner() {}

  /** The directory of the Node test project, from the {@code vxcable.js} system property. */
  public static Path jsDir() {
    return Path.of(System.getProperty("vxcable.js", "src/test/js")).toAbsolutePath().normalize();
  }

  public static Result run(String file, Map<String, String> env, Duration timeout) {
    return exec(List.of("node", "--test", "--test-force-exit", "--test-reporter=spec", file), jsDir(), env, timeout);
  }

  /** {@code npm ci} in {@code dir}, from npm's cache when it can. */
  public static Result npmCi(Path dir, Duration timeout) {
    return exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), dir, Map.of(), timeout);
  }

  /** Any command in {@code dir}, its output and error together; killed with its children after {@code timeout}. */
  public static Result exec(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("node-", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      return new Result(done ? p.exitValue() : -1, done ? output : output + "\n(timed out after " + timeout + ")");
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
