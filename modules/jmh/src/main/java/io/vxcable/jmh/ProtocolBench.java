package io.vxcable.jmh;

import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.CommandParser;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.protocol.Replies;
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

/** The client-facing protocol: parsing commands, validating publication data, encoding replies. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProtocolBench {

  String subscribe = "{\"command\":\"subscribe\",\"identifier\":\"{\\\"channel\\\":\\\"ChatChannel\\\",\\\"room\\\":\\\"42\\\"}\"}";
  String perform = "{\"command\":\"message\",\"identifier\":\"{\\\"channel\\\":\\\"ChatChannel\\\",\\\"room\\\":\\\"42\\\"}\","
      + "\"data\":\"{\\\"action\\\":\\\"speak\\\",\\\"text\\\":\\\"hello there, how are you today?\\\"}\"}";
  String history = "{\"command\":\"history\",\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"chat/1\\\"}\","
      + "\"history\":{\"streams\":{\"chat/1\":{\"epoch\":\"x7Qa\",\"offset\":42}}}}";
  String data = "{\"text\":\"hello there, how are you today?\",\"user\":{\"id\":26,\"name\":\"Jane\"},\"at\":1700000000}";

  @Benchmark
  public ClientCommand parseSubscribe() throws ProtocolException {
    return CommandParser.parse(subscribe);
  }

  @Benchmark
  public ClientCommand parsePerform() throws ProtocolException {
    return CommandParser.parse(perform);
  }

  @Benchmark
  public ClientCommand parseHistory() throws ProtocolException {
    return CommandParser.parse(history);
  }

  @Benchmark
  public String publicationDataValue() {
    return JsonText.messageValue(data);
  }

  @Benchmark
  public String welcome() {
    return Replies.welcome("f3c8a2e1-9b7d-4c2a-8e5f-1a2b3c4d5e6f");
  }
}
