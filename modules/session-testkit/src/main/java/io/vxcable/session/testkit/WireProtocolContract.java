package io.vxcable.session.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WireProtocol} of the Action Cable conversation must do, whatever its bytes:
 * decode each client command into the same {@link ClientCommand}, encode each reply and broadcast
 * into a frame a client reads as the same fields, refuse malformed frames with a
 * {@link ProtocolException} only, and stay safe to share between event loops.
 *
 * <p>A subclass names the protocol and plays the client: how it encodes a command (a map of the
 * command's fields) and how it reads a server frame back into plain values (maps, lists, strings,
 * numbers, booleans, null; a broadcast's {@code message} decoded). Golden bytes belong in the
 * subclass: the contract only compares what a client understands.
 */
public abstract class WireProtocolContract {

  /** The protocol under test. */
  protected abstract WireProtocol protocol();

  /** A client's frame for a command given as its fields (values: strings, maps, numbers). */
  protected abstract byte[] clientFrame(Map<String, Object> command);

  /** A server frame as a client reads it: field name to plain value. */
  protected abstract Map<String, Object> read(byte[] frame);

  /** Frames a client could send that are not a command (at least one). */
  protected abstract List<byte[]> malformedFrames();

  /**
   * The {@code type} a client reads for a reply or broadcast of this type: the type itself, or
   * null (no {@code type} field) where the encoding's schema has no such type (protobuf's
   * {@code Type} enum lacks {@code presence}).
   */
  protected String typeAsRead(String type) {
    return type;
  }

  // ---- decoding -------------------------------------------------------------------------------

  protected final ClientCommand decodeOne(Map<String, Object> command) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    protocol().decode(clientFrame(command), out::add);
    assertThat(out).as("one frame, one command").hasSize(1);
    return out.get(0);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static final String IDENTIFIER = "{\"channel\":\"ChatChannel\",\"room\":\"a\"}";

  @Test
  void aSubscribeNamesItsIdentifier() throws Exception {
    ClientCommand c = decodeOne(map("command", "subscribe", "identifier", IDENTIFIER));
    assertThat(c.command()).isEqualTo("subscribe");
    assertThat(c.identifier()).isEqualTo(IDENTIFIER);
  }

  @Test
  void aMessageCarriesItsDataAsText() throws Exception {
    ClientCommand c = decodeOne(map("command", "message", "identifier", IDENTIFIER,
        "data", "{\"action\":\"speak\",\"text\":\"hi\"}"));
    assertThat(c.command()).isEqualTo("message");
    assertThat(c.dataString()).isEqualTo("{\"action\":\"speak\",\"text\":\"hi\"}");
  }

  @Test
  void aWhisperCarriesStructuredData() throws Exception {
    ClientCommand c = decodeOne(map("command", "whisper", "identifier", IDENTIFIER, "data", map("typing", true)));
    assertThat(c.command()).isEqualTo("whisper");
    assertThat(c.dataJson()).isEqualTo("{\"typing\":true}");
  }

  @Test
  void aHistoryRequestCarriesSinceOrPositions() throws Exception {
    ClientCommand since = decodeOne(map("command", "history", "identifier", IDENTIFIER, "history", map("since", 1700000000)));
    assertThat(since.history().since()).isEqualTo(1700000000L);
    ClientCommand positions = decodeOne(map("command", "history", "identifier", IDENTIFIER,
        "history", map("streams", map("room:a", map("epoch", "ep1", "offset", 42)))));
    assertThat(positions.history().streams()).containsKey("room:a");
    assertThat(positions.history().streams().get("room:a").epoch()).isEqualTo("ep1");
    assertThat(positions.history().streams().get("room:a").offset()).isEqualTo(42L);
  }

  @Test
  void aPingCommandIsACommand() throws Exception {
    assertThat(decodeOne(map("command", "pong")).command()).isEqualTo("pong");
  }

  @Test
  void malformedFramesAreRefusedWithAProtocolException() {
    for (byte[] frame : malformedFrames()) {
      assertThatThrownBy(() -> protocol().decode(frame, c -> { })).isInstanceOf(ProtocolException.class);
    }
  }

  // ---- replies --------------------------------------------------------------------------------

  protected final Map<String, Object> reply(Reply r) {
    return normalize(read(protocol().encode(r)));
  }

  /** Plain values with one number type each: whole numbers as Long, others as Double. */
  @SuppressWarnings("unchecked")
  static <T> T normalize(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(normalize(v)));
      return (T) out;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof java.math.BigInteger) {
      return (T) Long.valueOf(((Number) value).longValue());
    }
    if (value instanceof Float || value instanceof java.math.BigDecimal) {
      return (T) Double.valueOf(((Number) value).doubleValue());
    }
    return value;
  }

  @Test
  void aWelcomeSaysWelcome() {
    assertThat(reply(Reply.Welcome.of("s1"))).containsEntry("type", "welcome").doesNotContainKey("restored");
  }

  /** Only the extended protocol resumes sessions (a plain encoding may have no field for them). */
  @Test
  void anExtendedWelcomeCarriesTheSidAndWhatWasRestored() {
    assumeTrue(protocol().extended(), "an extended protocol's");
    assertThat(reply(Reply.Welcome.of("s1"))).containsEntry("type", "welcome").containsEntry("sid", "s1")
        .doesNotContainKey("restored");
    Map<String, Object> restored = reply(new Reply.Welcome("s2", true, List.of(IDENTIFIER)));
    assertThat(restored).containsEntry("type", "welcome").containsEntry("sid", "s2").containsEntry("restored", true)
        .containsEntry("restored_ids", List.of(IDENTIFIER));
  }

  /**
   * {@code reconnect} false reads as false: JSON and msgpack write it always (their golden bytes say
   * so), protobuf leaves the proto3 default off the wire and the client reads the default.
   */
  @Test
  void aDisconnectSaysWhetherToReconnect() {
    Map<String, Object> refused = reply(new Reply.Disconnect("unauthorized", false));
    assertThat(refused).containsEntry("type", "disconnect").containsEntry("reason", "unauthorized");
    assertThat(refused.getOrDefault("reconnect", false)).isEqualTo(false);
    assertThat(reply(new Reply.Disconnect("server_restart", true))).containsEntry("reconnect", true);
  }

  @Test
  void subscriptionAndHistoryAnswersNameTheirIdentifier() {
    assertThat(reply(new Reply.ConfirmSubscription(IDENTIFIER)))
        .containsEntry("type", "confirm_subscription").containsEntry("identifier", IDENTIFIER);
    assertThat(reply(new Reply.RejectSubscription(IDENTIFIER)))
        .containsEntry("type", "reject_subscription").containsEntry("identifier", IDENTIFIER);
    assertThat(reply(new Reply.ConfirmHistory(IDENTIFIER))).containsEntry("type", "confirm_history");
    assertThat(reply(new Reply.RejectHistory(IDENTIFIER))).containsEntry("type", "reject_history");
  }

  @Test
  void aPingCarriesItsTimestamp() {
    Map<String, Object> ping = reply(new Reply.Ping(1700000000L));
    assertThat(ping).containsEntry("type", "ping");
    assertThat(((Number) ping.get("message")).longValue()).isEqualTo(1700000000L);
  }

  @Test
  void anApplicationTransmissionKeepsItsFields() {
    Map<String, Object> t = reply(new Reply.Transmission(
        "{\"identifier\":\"{\\\"channel\\\":\\\"C\\\"}\",\"message\":{\"n\":1,\"list\":[true,null,\"x\"]}}"));
    assertThat(t).containsEntry("identifier", "{\"channel\":\"C\"}");
    assertThat(t.get("message")).isEqualTo(map("n", 1L, "list", java.util.Arrays.asList(true, null, "x")));
  }

  // ---- broadcasts -----------------------------------------------------------------------------

  protected final Map<String, Object> broadcast(String identifier, StreamBroadcast m) {
    WireProtocol format = protocol().broadcastFormat();
    return normalize(read(format.broadcasts(identifier).encode(m, format.payload(m))));
  }

  @Test
  void aBroadcastCarriesTheIdentifierAndTheDecodedMessage() {
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("room:a")
        .setMessage(ByteString.copyFromUtf8("{\"text\":\"hi\",\"n\":2}")).build();
    Map<String, Object> frame = broadcast(IDENTIFIER, m);
    assertThat(frame).containsEntry("identifier", IDENTIFIER).doesNotContainKeys("stream_id", "epoch", "offset");
    assertThat(frame.get("message")).isEqualTo(map("text", "hi", "n", 2L));
  }

  @Test
  void aTypedBroadcastCarriesItsType() {
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("room:a")
        .setMessage(ByteString.copyFromUtf8("{\"type\":\"join\",\"id\":\"u1\"}")).setBroadcastType("presence").build();
    Map<String, Object> frame = broadcast(IDENTIFIER, m);
    assertThat(frame.get("type")).isEqualTo(typeAsRead("presence"));
    assertThat(frame).containsEntry("identifier", IDENTIFIER).containsEntry("message", map("type", "join", "id", "u1"));
  }

  /** Stream positions are the extended protocol's (a plain encoding may have no field for them). */
  @Test
  void anExtendedStampedBroadcastCarriesItsStreamPosition() {
    assumeTrue(protocol().extended(), "an extended protocol's");
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("room:a").setMessage(ByteString.copyFromUtf8("\"x\""))
        .setEpoch("ep1").setOffset(7).build();
    Map<String, Object> frame = broadcast(IDENTIFIER, m);
    assertThat(frame).containsEntry("message", "x").containsEntry("stream_id", "room:a").containsEntry("epoch", "ep1");
    assertThat(((Number) frame.get("offset")).longValue()).isEqualTo(7L);
  }

  @Test
  void theBroadcastFormatIsStableAndSharedByIdentifiers() {
    WireProtocol format = protocol().broadcastFormat();
    assertThat(format.broadcastFormat()).as("a format is its own format").isSameAs(format);
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("[1,2]")).build();
    Object payload = format.payload(m);
    assertThat(format.broadcasts("a").encode(m, payload)).as("same input, same bytes")
        .isEqualTo(format.broadcasts("a").encode(m, format.payload(m)));
  }

  @Test
  void encodingIsSafeFromManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      byte[] expected = protocol().encode(new Reply.ConfirmSubscription(IDENTIFIER));
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> protocol().encode(new Reply.ConfirmSubscription(IDENTIFIER))));
      }
      for (Future<byte[]> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
