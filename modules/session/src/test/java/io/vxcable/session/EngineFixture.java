package io.vxcable.session;

import io.vxcable.config.ConfigResolver;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An engine with no bus, a manual clock and recording transports: options resolved from
 * anycable-go flags exactly as the server resolves them.
 */
final class EngineFixture {

  long now = 1_000_000;
  final SessionEngine engine;
  final List<RecordingTransport> transports = new ArrayList<>();

  EngineFixture(String... flags) {
    List<String> args = new ArrayList<>(List.of("--public"));
    args.addAll(List.of(flags));
    SessionOptions options = SessionOptions.from(
        ConfigResolver.fromCommandLine(args, Map.of(), Path.of("/nonexistent")).settings());
    engine = new SessionEngine(options, new StreamsRouter(new NullController(), options), null, () -> now);
  }

  /** Opens and starts a session; {@code pi} is its {@code ?pi=} (null for none). */
  Session open(RecordingTransport t, WireProtocol protocol, String pi) {
    transports.add(t);
    Map<String, String> params = pi == null ? Map.of() : Map.of("pi", pi);
    Session s = engine.open(t, protocol, "sid" + transports.size(), new RequestInfo("http://x/cable", Map.of(), params, null, "", null));
    engine.start(s);
    return s;
  }

  /** Advances the clock by ticks of 50 ms, completing every pending write before each tick. */
  void advance(long ms) {
    for (long t = 0; t < ms; t += 50) {
      now += 50;
      transports.forEach(RecordingTransport::flush);
      engine.tick();
    }
  }

  void send(Session s, String json) {
    engine.onFrame(s, json.getBytes(StandardCharsets.UTF_8));
  }
}
