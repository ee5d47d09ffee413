package io.vxcable.jmh;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vxcable.broker.MemoryBroker;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Broker append on the memory backend: stamping and storing one publication, and a batch of 16. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BrokerBench {

  MemoryBroker broker;
  List<StreamBroadcast> one;
  List<StreamBroadcast> sixteen;

  @Setup
  public void setUp() {
    broker = new MemoryBroker(100, 300, 300, System::currentTimeMillis);
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("chat/1")
        .setMessage(ByteString.copyFromUtf8("{\"text\":\"hello there\"}")).build();
    one = List.of(m);
    StreamBroadcast[] batch = new StreamBroadcast[16];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = m.toBuilder().setStream("chat/" + (i % 4)).build();
    }
    sixteen = List.of(batch);
  }

  @Benchmark
  public Future<List<StreamBroadcast>> appendOne() {
    return broker.append(one);
  }

  @Benchmark
  public Future<List<StreamBroadcast>> appendBatchOf16() {
    return broker.append(sixteen);
  }
}
