package io.vxcable.examples.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PubSubProtocolTest {

  private final PubSubProtocol protocol = PubSubProtocol.INSTANCE;

  private List<ClientCommand> decode(String frame) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    protocol.decode(frame.getBytes(StandardCharsets.UTF_8), out::add);
    return out;
  }

  private String encode(Reply reply) {
    return new String(protocol.encode(reply), StandardCharsets.UTF_8);
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  private static StreamBroadcast broadcast(String stream, String json) {
    return StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(json)).build();
  }

  @Test
  void aSubscribeBecomesASubscribeToThePublicStream() throws Exception {
    assertThat(decode("{\"subscribe\":\"room\"}")).containsExactly(
        new ClientCommand("subscribe", "{\"channel\":\"$pubsub\",\"stream_name\":\"room\"}", null, null, null, null));
  }

  @Test
  void anUnsubscribeNamesTheSameIdentifier() throws Exception {
    assertThat(decode("{\"unsubscribe\":\"room\"}")).containsExactly(
        new ClientCommand("unsubscribe", PubSubProtocol.identifier("room"), null, null, null, null));
  }

  @Test
  void aPublishBecomesAWhisperCarryingTheDataAsJson() throws Exception {
    assertThat(decode("{\"publish\":\"room\",\"data\":{\"text\":\"hi\",\"n\":[1,2]}}")).containsExactly(
        new ClientCommand("whisper", PubSubProtocol.identifier("room"), null, "{\"text\":\"hi\",\"n\":[1,2]}", null, null));
    assertThat(decode("{\"publish\":\"room\",\"data\":\"hi\"}").get(0).dataJson()).isEqualTo("\"hi\"");
    assertThat(decode("{\"publish\":\"room\"}").get(0).dataJson()).isEqualTo("null");
  }

  @Test
  void streamNamesAreQuotedIntoTheIdentifierAndReadBack() throws Exception {
    String name = "a\"b\\c/ü";
    ClientCommand c = decode("{\"subscribe\":\"a\\\"b\\\\c/ü\"}").get(0);
    assertThat(c.identifier()).isEqualTo("{\"channel\":\"$pubsub\",\"stream_name\":\"a\\\"b\\\\c/ü\"}");
    assertThat(PubSubProtocol.streamOf(c.identifier())).isEqualTo(name);
    assertThat(encode(new Reply.ConfirmSubscription(c.identifier())))
        .isEqualTo("{\"event\":\"subscribed\",\"stream\":\"a\\\"b\\\\c/ü\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[1,2]", "\"room\"", "{}", "{\"dance\":\"room\"}", "{\"subscribe\":1}",
      "{\"subscribe\":\"\"}", "{\"unsubscribe\":null}", "{\"publish\":{\"room\":1}}"})
  void aFrameThatIsNotACommandIsRefusedAndYieldsNothing(String frame) {
    List<ClientCommand> out = new ArrayList<>();
    assertThatThrownBy(() -> protocol.decode(frame.getBytes(StandardCharsets.UTF_8), out::add))
        .isInstanceOf(ProtocolException.class);
    assertThat(out).isEmpty();
  }

  @Test
  void repliesAreEventsInThePlainFormat() {
    String id = PubSubProtocol.identifier("room");
    assertThat(encode(Reply.Welcome.of("sid-1"))).isEqualTo("{\"event\":\"welcome\",\"sid\":\"sid-1\"}");
    assertThat(encode(new Reply.ConfirmSubscription(id))).isEqualTo("{\"event\":\"subscribed\",\"stream\":\"room\"}");
    assertThat(encode(new Reply.RejectSubscription(id))).isEqualTo("{\"event\":\"rejected\",\"stream\":\"room\"}");
    assertThat(encode(new Reply.Ping(1700000000L))).isEqualTo("{\"event\":\"ping\",\"at\":1700000000}");
    assertThat(encode(new Reply.Disconnect("server_restart", true)))
        .isEqualTo("{\"event\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}");
    assertThat(encode(new Reply.Transmission("{\"type\":\"hello\"}")))
        .isEqualTo("{\"event\":\"transmission\",\"data\":{\"type\":\"hello\"}}");
    assertThat(encode(new Reply.Pong())).isEqualTo("{\"event\":\"pong\"}");
    assertThat(encode(new Reply.RejectHistory(id))).isEqualTo("{\"event\":\"unsupported\"}");
  }

  @Test
  void aBroadcastCarriesItsJsonAsTheMessageData() {
    StreamBroadcast m = broadcast("room", "{\"text\":\"hi\"}");
    Object payload = protocol.payload(m);
    assertThat(text(protocol.broadcasts(PubSubProtocol.identifier("room")).encode(m, payload)))
        .isEqualTo("{\"event\":\"message\",\"stream\":\"room\",\"data\":{\"text\":\"hi\"}}");
    StreamBroadcast s = broadcast("room", "\"plain text\"");
    assertThat(text(protocol.broadcasts(PubSubProtocol.identifier("room")).encode(s, protocol.payload(s))))
        .isEqualTo("{\"event\":\"message\",\"stream\":\"room\",\"data\":\"plain text\"}");
  }

  @Test
  void oneEncoderPerIdentifierServesEveryBroadcastAndOnePayloadServesEveryEncoder() {
    WireProtocol.BroadcastEncoder a = protocol.broadcasts(PubSubProtocol.identifier("a"));
    WireProtocol.BroadcastEncoder quoted = protocol.broadcasts(PubSubProtocol.identifier("say \"hi\""));
    StreamBroadcast first = broadcast("a", "1");
    StreamBroadcast second = broadcast("a", "[2]");
    assertThat(text(a.encode(first, protocol.payload(first)))).isEqualTo("{\"event\":\"message\",\"stream\":\"a\",\"data\":1}");
    assertThat(text(a.encode(second, protocol.payload(second))))
        .isEqualTo("{\"event\":\"message\",\"stream\":\"a\",\"data\":[2]}");
    Object shared = protocol.payload(second);
    assertThat(text(quoted.encode(second, shared)))
        .isEqualTo("{\"event\":\"message\",\"stream\":\"say \\\"hi\\\"\",\"data\":[2]}");
  }

  @Test
  void itIsATextProtocolOfItsOwnPath() {
    assertThat(protocol.name()).isNull();
    assertThat(protocol.binary()).isFalse();
    assertThat(protocol.extended()).isFalse();
    assertThat(protocol.broadcastFormat()).isSameAs(protocol);
  }
}
