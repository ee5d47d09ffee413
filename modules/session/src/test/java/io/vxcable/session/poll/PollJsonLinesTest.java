package io.vxcable.session.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Lines bodies: what a request's lines are, and how frames become one answer. */
class PollJsonLinesTest {

  static List<String> lines(String body) {
    return JsonLines.split(Buffer.buffer(body)).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aRequestIsSplitIntoItsNonBlankLinesWithOrWithoutTheLastNewline() {
    assertThat(lines("{\"a\":1}\n{\"b\":2}\n")).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(lines("{\"a\":1}\r\n\r\n  \n{\"b\":2}")).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(lines("")).isEmpty();
    assertThat(lines("\n\n")).isEmpty();
  }

  @Test
  void framesAreJoinedEachFollowedByANewline() {
    Buffer body = JsonLines.join(List.of("{\"type\":\"welcome\"}".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"confirm_subscription\",\"identifier\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(body.toString()).isEqualTo("{\"type\":\"welcome\"}\n{\"type\":\"confirm_subscription\",\"identifier\":\"x\"}\n");
    assertThat(JsonLines.join(List.of()).length()).isZero();
  }

  @Test
  void lineBreaksInsideAFrameBecomeSpacesInACopy() {
    byte[] pretty = "{\"identifier\":\"x\",\"message\":{\r\n  \"a\": \"b\\nc\"\n}}".getBytes(StandardCharsets.UTF_8);
    byte[] before = pretty.clone();
    Buffer body = JsonLines.join(List.of(pretty));
    assertThat(body.toString()).isEqualTo("{\"identifier\":\"x\",\"message\":{    \"a\": \"b\\nc\" }}\n");
    assertThat(new io.vertx.core.json.JsonObject(body.toString().trim()).getJsonObject("message").getString("a"))
        .isEqualTo("b\nc");
    assertThat(pretty).as("the shared frame is untouched").isEqualTo(before);
    byte[] plain = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonLines.withoutLineBreaks(plain)).isSameAs(plain);
  }
}
