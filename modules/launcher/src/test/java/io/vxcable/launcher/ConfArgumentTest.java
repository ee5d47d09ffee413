package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfArgumentTest {

  @TempDir
  Path dir;

  @Test
  void aFileHoldingAJsonObjectOrAnInlineObjectIsAccepted() throws Exception {
    Path conf = Files.writeString(dir.resolve("gateway.json"), "{\"port\": 8081}");
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf", conf.toString(), "-cluster"})).isNull();
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf", "{\"port\":8081}"})).isNull();
    assertThat(ConfArgument.problem(new String[] {"run", "gateway"})).isNull();
  }

  @Test
  void aMissingFileIsRefusedByName() {
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf", "conf/nope.json"}))
        .isEqualTo("-conf conf/nope.json: no such file (and not a JSON object)");
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf"})).isEqualTo("-conf needs a file or a JSON object");
  }

  @Test
  void aFileOrInlineValueThatIsNoJsonObjectIsRefused() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"port\": ");
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf", broken.toString()}))
        .isEqualTo("-conf " + broken + ": the file does not hold a JSON object");
    Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf", array.toString()}))
        .isEqualTo("-conf " + array + ": the file does not hold a JSON object");
    assertThat(ConfArgument.problem(new String[] {"run", "gateway", "-conf", "{port: }"})).startsWith("-conf: not a JSON object");
  }
}
