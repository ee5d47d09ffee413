package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The distribution tarball of {@code modules/launcher/target}, unpacked and run as a user would. */
final class Distribution {

  private Distribution() {}

  static Path tarball() throws Exception {
    Path target = ServerProcess.jar().getParent();
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("vxcable-.*\\.tar\\.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("no vxcable-<version>.tar.gz in " + target));
    }
  }

  static Path unpack(Path dir) throws Exception {
    Process tar = new ProcessBuilder("tar", "xzf", tarball().toString(), "-C", dir.toString()).inheritIO().start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  /** {@code env -i} with only a JRE and the base tools (sh, dirname) on the PATH, plus {@code variables} ({@code NAME=value}). */
  static List<String> env(String... variables) {
    List<String> cmd = new ArrayList<>(List.of("env", "-i", "PATH=" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin"));
    cmd.addAll(List.of(variables));
    return cmd;
  }

  /** {@code script} run by sh in that clean environment. */
  static List<String> clean(Path script, String... args) {
    List<String> cmd = env();
    cmd.addAll(List.of("sh", script.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
