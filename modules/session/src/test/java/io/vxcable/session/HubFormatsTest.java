package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.actioncable.Message;
import io.vxcable.contracts.actioncable.Reply;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.session.spi.HubSubscriber;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.wire.ActionCableJson;
import io.vxcable.session.wire.ActionCableMsgpack;
import io.vxcable.session.wire.ActionCableProtobuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.value.ValueFactory;

/** JSON, msgpack and protobuf subscribers of one stream: the same broadcasts, in order, each format encoded once. */
class HubFormatsTest {

  final Vertx vertx = Vertx.vertx();
  final Hub hub = new Hub(vertx.eventBus(), m -> { });

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A subscriber that keeps every frame. */
  record Recorder(String sid, WireProtocol protocol, List<byte[]> frames) implements HubSubscriber {
    Recorder(String sid, WireProtocol protocol) {
      this(sid, protocol, new ArrayList<>());
    }

    @Override
    public void deliver(String identifier, StreamBroadcast broadcast, byte[] frame) {
      frames.add(frame);
    }
  }

  void subscribe(HubSubscriber s, String identifier) throws Exception {
    Future<Void> f = hub.subscribe(s, identifier, "room");
    f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static StreamBroadcast broadcast(int n) {
    return StreamBroadcast.newBuilder().setStream("room").setEpoch("ep").setOffset(n)
        .setMessage(ByteString.copyFromUtf8("{\"n\":" + n + "}")).build();
  }

  /** The {@code message} of a frame, as JSON text, whatever its encoding. */
  static String message(WireProtocol p, byte[] frame) throws Exception {
    if (p instanceof ActionCableJson) {
      return new JsonObject(new String(frame, StandardCharsets.UTF_8)).getJsonObject("message").encode();
    }
    if (p instanceof ActionCableMsgpack) {
      return MessagePack.newDefaultUnpacker(frame).unpackValue().asMapValue().map()
          .get(ValueFactory.newString("message")).toJson();
    }
    ByteString msgpack = p.extended() ? Reply.parseFrom(frame).getMessage() : Message.parseFrom(frame).getMessage();
    return MessagePack.newDefaultUnpacker(msgpack.toByteArray()).unpackValue().toJson();
  }

  @Test
  void everyEncodingReceivesTheSameBroadcastsInOrder() throws Exception {
    List<Recorder> all = new ArrayList<>();
    for (WireProtocol p : List.of(ActionCableJson.V1, ActionCableJson.EXT, ActionCableMsgpack.V1, ActionCableMsgpack.EXT,
        ActionCableProtobuf.V1, ActionCableProtobuf.EXT)) {
      Recorder r = new Recorder(p.name(), p);
      subscribe(r, "i");
      all.add(r);
    }
    for (int n = 1; n <= 3; n++) {
      hub.broadcast(broadcast(n));
    }
    for (Recorder r : all) {
      List<String> messages = new ArrayList<>();
      for (byte[] frame : r.frames) {
        messages.add(message(r.protocol, frame));
      }
      assertThat(messages).as(r.sid).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }
    assertThat(all.get(2).frames.get(0)).as("msgpack plain and extended share one frame").isSameAs(all.get(3).frames.get(0));
    assertThat(all.get(4).frames.get(0)).as("protobuf plain and extended differ").isNotEqualTo(all.get(5).frames.get(0));
  }

  /** Counts how often the hub converts a broadcast's message into this format. */
  static final class Counting implements WireProtocol {
    final WireProtocol delegate;
    int payloads;

    Counting(WireProtocol delegate) {
      this.delegate = delegate;
    }

    @Override
    public Object payload(StreamBroadcast broadcast) {
      payloads++;
      return delegate.payload(broadcast);
    }

    @Override
    public BroadcastEncoder broadcasts(String identifier) {
      return delegate.broadcasts(identifier);
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public boolean extended() {
      return delegate.extended();
    }

    @Override
    public boolean binary() {
      return delegate.binary();
    }

    @Override
    public void decode(byte[] frame, Consumer<ClientCommand> out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] encode(io.vxcable.session.spi.Reply reply) {
      return delegate.encode(reply);
    }
  }

  @Test
  void eachFormatConvertsAMessageOncePerBroadcastWhateverTheIdentifiers() throws Exception {
    List<Counting> formats = List.of(new Counting(ActionCableJson.V1), new Counting(ActionCableMsgpack.V1),
        new Counting(ActionCableProtobuf.EXT));
    for (Counting f : formats) {
      for (String identifier : List.of("a", "b", "c")) {
        subscribe(new Recorder(f.name() + identifier, f), identifier);
      }
    }
    hub.broadcast(broadcast(1));
    hub.broadcast(broadcast(2));
    for (Counting f : formats) {
      assertThat(f.payloads).as(f.name()).isEqualTo(2);
    }
  }
}
