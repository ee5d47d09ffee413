package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vxcable.testkit.JsonFuzz;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the JSON text helpers: {@link JsonText#quote} always makes one JSON string that reads
 * back as the input; {@link JsonText#isJson} answers for any text without throwing; and
 * {@link JsonText#messageValue} always yields exactly one JSON value, the data itself when it was one.
 */
class JsonTextFuzzTest {

  static final JsonFactory FACTORY = new JsonFactory();

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.randomValue(r -> new JsonFuzz(r, List.of("stream", "data", "a")).document(6));
  }

  @Property(tries = 1000)
  void aQuotedStringReadsBackAsItself(@ForAll String s) throws IOException {
    String quoted = JsonText.quote(s);
    assertThat(quoted.chars().filter(c -> c < 0x20)).as("no raw control character").isEmpty();
    try (JsonParser p = FACTORY.createParser(quoted)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
      assertThat(p.getText()).isEqualTo(s);
      assertThat(p.nextToken()).isNull();
    }
    StringBuilder sb = new StringBuilder("x");
    JsonText.appendQuoted(sb, s);
    assertThat(sb.toString()).isEqualTo("x" + quoted);
  }

  @Property(tries = 1000)
  void anyTextIsJsonOrNotAndItsMessageValueIsJson(@ForAll String data) {
    checkMessageValue(data);
  }

  @Property(tries = 1000)
  void jsonishTextIsJsonOrNotAndItsMessageValueIsJson(@ForAll("jsonish") String data) {
    boolean json = checkMessageValue(data);
    Statistics.label("isJson").collect(json);
    Statistics.label("isJson").coverage(cov -> {
      cov.check(true).percentage(p -> p > 5);
      cov.check(false).percentage(p -> p > 5);
    });
  }

  /** The message value of {@code data} is one JSON value: the stripped data when it is JSON, else the data quoted. */
  static boolean checkMessageValue(String data) {
    boolean json = JsonText.isJson(data);
    String value = JsonText.messageValue(data);
    assertThat(JsonText.isJson(value)).as("message value of %s is JSON: %s", data, value).isTrue();
    assertThat(value).isEqualTo(json ? data.strip() : JsonText.quote(data));
    return json;
  }
}
