package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandParserTest {

  @Test
  void aSubscribeCarriesItsIdentifierVerbatim() throws Exception {
    ClientCommand c = CommandParser.parse("{\"command\":\"subscribe\",\"identifier\":\"{\\\"channel\\\":\\\"A\\\",\\\"id\\\":1}\"}");
    assertThat(c.command()).isEqualTo("subscribe");
    assertThat(c.identifier()).isEqualTo("{\"channel\":\"A\",\"id\":1}");
    assertThat(c.history()).isNull();
    assertThat(c.presence()).isNull();
  }

  @Test
  void stringDataIsKeptAsAStringAndAnyDataAsJson() throws Exception {
    ClientCommand msg = CommandParser.parse("{\"command\":\"message\",\"identifier\":\"x\",\"data\":\"{\\\"action\\\":\\\"speak\\\"}\"}");
    assertThat(msg.dataString()).isEqualTo("{\"action\":\"speak\"}");
    ClientCommand whisper = CommandParser.parse("{\"command\":\"whisper\",\"identifier\":\"x\",\"data\":{ \"event\" : \"typing\", \"n\": [1, 2.5] }}");
    assertThat(whisper.dataString()).isNull();
    assertThat(whisper.dataJson()).isEqualTo("{\"event\":\"typing\",\"n\":[1,2.5]}");
  }

  /** Found by CommandParserFuzzTest: Jackson's structure copy rounded numbers through a double. */
  @Test
  void numbersInWhisperDataAndPresenceInfoAreKeptAsWritten() throws Exception {
    String numbers = "[1e400,0e5729,-0,1.0000000000000000000001,123456789012345678901234567890.5,1E2,2.5,7]";
    assertThat(CommandParser.parse("{\"command\":\"whisper\",\"data\":" + numbers + "}").dataJson()).isEqualTo(numbers);
    assertThat(CommandParser.parse("{\"data\": { \"n\" : 1e400 } }").dataJson()).isEqualTo("{\"n\":1e400}");
    assertThat(CommandParser.parse("{\"presence\":{\"id\":\"u\",\"info\":{\"n\":" + numbers + "}}}").presence().infoJson())
        .isEqualTo("{\"n\":" + numbers + "}");
  }

  @Test
  void historyAndPresenceAreDecoded() throws Exception {
    ClientCommand c = CommandParser.parse("{\"command\":\"history\",\"identifier\":\"x\",\"history\":{\"since\":1700000000,"
        + "\"streams\":{\"room/1\":{\"epoch\":\"ep1\",\"offset\":7}}},\"presence\":{\"id\":\"u42\",\"info\":{\"name\":\"Vova\"}}}");
    assertThat(c.history().since()).isEqualTo(1700000000L);
    assertThat(c.history().streams()).containsEntry("room/1", new ClientCommand.StreamPosition("ep1", 7));
    assertThat(c.presence()).isEqualTo(new ClientCommand.PresenceData("u42", "{\"name\":\"Vova\"}"));
    ClientCommand empty = CommandParser.parse("{\"command\":\"subscribe\",\"identifier\":\"x\",\"history\":{\"since\":1,\"streams\":{}}}");
    assertThat(empty.history().streams()).isEmpty();
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    assertThat(CommandParser.parse("{\"command\":\"ping\",\"extra\":{\"deep\":[1,{\"a\":2}]}}").command()).isEqualTo("ping");
  }

  @Test
  void malformedFramesAreRejected() {
    for (String bad : new String[] {"{not json", "[1,2]", "\"text\"", "{\"command\":1}", "{\"identifier\":{}}",
        "{\"command\":\"x\"} trailing", "{\"history\":[]}", "{\"history\":{\"since\":\"yesterday\"}}",
        "{\"history\":{\"streams\":{\"s\":{\"offset\":-1}}}}", "{\"presence\":\"me\"}", ""}) {
      assertThatThrownBy(() -> CommandParser.parse(bad)).as(bad).isInstanceOf(ProtocolException.class);
    }
  }
}
