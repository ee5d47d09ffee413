package io.vxcable.jmh;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.wire.ActionCableJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fan-out hot path: a broadcast is encoded once per (stream, identifier, format) group and the
 * bytes are shared by every session of the group, so this cost is per group, not per client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BroadcastFramesBench {

  WireProtocol json = ActionCableJson.V1.broadcastFormat();
  WireProtocol.BroadcastEncoder encoder = json.broadcasts("{\"channel\":\"$pubsub\",\"stream_name\":\"chat/1\"}");
  byte[] message = "{\"text\":\"hello there, how are you today?\",\"user\":{\"id\":26}}".getBytes(StandardCharsets.UTF_8);
  StreamBroadcast plain = StreamBroadcast.newBuilder().setStream("chat/1").setMessage(ByteString.copyFrom(message)).build();
  StreamBroadcast stamped = plain.toBuilder().setEpoch("x7Qa").setOffset(123456).build();

  @Benchmark
  public byte[] encodePlain() {
    return encoder.encode(plain, json.payload(plain));
  }

  @Benchmark
  public byte[] encodeWithPosition() {
    return encoder.encode(stamped, json.payload(stamped));
  }
}
