package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void quotingEscapesQuotesBackslashesAndControlCharactersOnly() {
    assertThat(JsonText.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(JsonText.quote("l1\nl2\tx\r\b\f")).isEqualTo("\"l1\\nl2\\tx\\r\\b\\f\"");
    assertThat(JsonText.quote("\u0001")).isEqualTo("\"\\u0001\"");
    assertThat(JsonText.quote("héllo ✓ <b>")).isEqualTo("\"héllo ✓ <b>\"");
  }

  @Test
  void isJsonAcceptsExactlyOneValue() {
    assertThat(JsonText.isJson("{\"a\":[1,2]}")).isTrue();
    assertThat(JsonText.isJson("[1]")).isTrue();
    assertThat(JsonText.isJson("\"s\"")).isTrue();
    assertThat(JsonText.isJson(" 42 ")).isTrue();
    assertThat(JsonText.isJson("null")).isTrue();
    assertThat(JsonText.isJson("true")).isTrue();
    assertThat(JsonText.isJson("")).isFalse();
    assertThat(JsonText.isJson("hello")).isFalse();
    assertThat(JsonText.isJson("{\"a\":1} x")).isFalse();
    assertThat(JsonText.isJson("1 2")).isFalse();
    assertThat(JsonText.isJson("{\"a\":")).isFalse();
  }

  @Test
  void theMessageValueKeepsJsonAndQuotesEverythingElse() {
    assertThat(JsonText.messageValue("{\"text\":\"hi\"}")).isEqualTo("{\"text\":\"hi\"}");
    assertThat(JsonText.messageValue("\"hello\"")).isEqualTo("\"hello\"");
    assertThat(JsonText.messageValue("not json")).isEqualTo("\"not json\"");
    assertThat(JsonText.messageValue("12345678901234567890")).isEqualTo("12345678901234567890");
    assertThat(JsonText.messageValue("null")).isEqualTo("null");
    assertThat(JsonText.messageValue(" [1] \n")).isEqualTo("[1]");
  }
}
