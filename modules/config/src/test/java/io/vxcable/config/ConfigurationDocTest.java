package io.vxcable.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationDocTest {

  static final Path DOC = Path.of("../../docs/configuration.md");

  @Test
  void theConfigurationPageMatchesTheCatalogue() throws Exception {
    String expected = ConfigurationDoc.render();
    if (Boolean.getBoolean("vxcable.regenerateDocs")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(DOC)).as("docs/configuration.md exists").isTrue();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/configuration.md is out of date: run mvn -q -o -pl modules/config test -Dvxcable.regenerateDocs=true")
        .isEqualTo(expected);
  }

  @Test
  void everyOptionHasARow() {
    String doc = ConfigurationDoc.render();
    for (Option o : OptionCatalog.all()) {
      assertThat(doc).contains("| `--" + o.name() + "`");
    }
  }
}
