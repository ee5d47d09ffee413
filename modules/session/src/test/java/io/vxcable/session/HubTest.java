package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.session.spi.HubSubscriber;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.wire.ActionCableJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub's fan-out: one conversion per format, one frame per (stream, identifier, format). */
class HubTest {

  final Vertx vertx = Vertx.vertx();
  final Hub hub;

  HubTest() {
    BusCodecs.ensureRegistered(vertx);
    hub = new Hub(vertx.eventBus(), m -> { });
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A format that counts its work and writes "<identifier>|<message>". */
  static final class Counting implements WireProtocol {
    final AtomicInteger payloads = new AtomicInteger();
    final AtomicInteger frames = new AtomicInteger();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public boolean extended() {
      return false;
    }

    @Override
    public boolean binary() {
      return true;
    }

    @Override
    public void decode(byte[] frame, Consumer<ClientCommand> out) {}

    @Override
    public byte[] encode(Reply reply) {
      return new byte[0];
    }

    @Override
    public Object payload(StreamBroadcast m) {
      payloads.incrementAndGet();
      return m.getMessage().toStringUtf8();
    }

    @Override
    public BroadcastEncoder broadcasts(String identifier) {
      return (m, payload) -> {
        frames.incrementAndGet();
        return (identifier + "|" + payload).getBytes(StandardCharsets.UTF_8);
      };
    }
  }

  /** Identity equality, as a session has (a record's would change with what it received). */
  static final class Subscriber implements HubSubscriber {
    private final String sid;
    private final WireProtocol protocol;
    private final List<String> got = new ArrayList<>();

    Subscriber(String sid, WireProtocol protocol) {
      this.sid = sid;
      this.protocol = protocol;
    }

    @Override
    public String sid() {
      return sid;
    }

    @Override
    public WireProtocol protocol() {
      return protocol;
    }

    List<String> got() {
      return got;
    }

    @Override
    public void deliver(String identifier, StreamBroadcast broadcast, byte[] frame) {
      got.add(new String(frame, StandardCharsets.UTF_8));
    }
  }

  static StreamBroadcast broadcast(String stream, String json, String exclude) {
    return StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(json)).setExcludeSocket(exclude).build();
  }

  void subscribe(Subscriber s, String identifier, String stream) throws Exception {
    hub.subscribe(s, identifier, stream).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBroadcastIsConvertedOncePerFormatAndEncodedOncePerIdentifier() throws Exception {
    Counting counting = new Counting();
    Subscriber a = new Subscriber("a", counting);
    Subscriber b = new Subscriber("b", counting);
    Subscriber c = new Subscriber("c", counting);
    subscribe(a, "id1", "s");
    subscribe(b, "id1", "s");
    subscribe(c, "id2", "s");
    hub.broadcast(broadcast("s", "1", ""));
    assertThat(counting.payloads).as("one conversion for the broadcast").hasValue(1);
    assertThat(counting.frames).as("one frame per identifier").hasValue(2);
    assertThat(a.got()).containsExactly("id1|1");
    assertThat(b.got()).containsExactly("id1|1");
    assertThat(c.got()).containsExactly("id2|1");
  }

  @Test
  void plainAndExtendedJsonShareTheirFramesAndOtherFormatsGetTheirOwn() throws Exception {
    Counting counting = new Counting();
    Subscriber plain = new Subscriber("p", ActionCableJson.V1);
    Subscriber ext = new Subscriber("e", ActionCableJson.EXT);
    Subscriber other = new Subscriber("o", counting);
    subscribe(plain, "id", "s");
    subscribe(ext, "id", "s");
    subscribe(other, "id", "s");
    hub.broadcast(broadcast("s", "{\"n\":1}", ""));
    assertThat(plain.got()).containsExactly("{\"identifier\":\"id\",\"message\":{\"n\":1}}");
    assertThat(ext.got()).isEqualTo(plain.got());
    assertThat(other.got()).containsExactly("id|{\"n\":1}");
    assertThat(counting.frames).hasValue(1);
  }

  @Test
  void theExcludedSocketIsSkippedAndUnsubscribedOnesGetNothing() throws Exception {
    Subscriber a = new Subscriber("a", ActionCableJson.V1);
    Subscriber b = new Subscriber("b", ActionCableJson.V1);
    subscribe(a, "id", "s");
    subscribe(b, "id", "s");
    hub.broadcast(broadcast("s", "1", "a"));
    assertThat(a.got()).isEmpty();
    assertThat(b.got()).hasSize(1);
    hub.unsubscribe(b, "id", "s");
    hub.broadcast(broadcast("s", "2", ""));
    assertThat(a.got()).hasSize(1);
    assertThat(b.got()).hasSize(1);
    hub.unsubscribe(a, "id", "s");
    assertThat(hub.streamCount()).isZero();
  }
}
