package io.vxcable.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void broadcastsAndCommandsKeepTheirDomainAndContent() throws Exception {
    StreamBroadcast b = StreamBroadcast.newBuilder().setStream("chat/1").setMessage(ByteString.copyFromUtf8("{\"x\":1}"))
        .setEpoch("abcd").setOffset(7).build();
    Envelope e = Envelope.decode(new Envelope("node-1", b).encode().getBytes());
    assertThat(e.domain()).isEqualTo("node-1");
    assertThat(e.message()).isEqualTo(b);
    RemoteCommand c = RemoteCommand.newBuilder().setDisconnect(io.vxcable.contracts.bus.RemoteDisconnect.newBuilder().setIdentifiers("u1")).build();
    assertThat(Envelope.decode(new Envelope("node-2", c).encode().getBytes()).message()).isEqualTo(c);
  }

  @Test
  void anythingElseOnTheChannelIsRefused() {
    assertThatThrownBy(() -> Envelope.decode("{\"stream\":\"x\",\"data\":\"y\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("not a vxcable pub/sub message");
    assertThatThrownBy(() -> Envelope.decode(new byte[] {'V', 1, 1, 9, 'a'})).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Envelope.decode(new byte[] {'V', 1, 5, 0})).hasMessageContaining("unknown pub/sub message kind");
  }
}
