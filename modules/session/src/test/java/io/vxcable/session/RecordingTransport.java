package io.vxcable.session;

import io.vxcable.session.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A transport that records what the engine writes; writes complete when the test flushes. */
final class RecordingTransport implements Transport {

  final List<String> frames = new ArrayList<>();
  final List<Boolean> binaryFrames = new ArrayList<>();
  boolean closed;
  int closeCode;
  boolean stallWrites;
  int nativePings;
  boolean paused;
  /** Writes complete on the next flush, as a socket does, unless stalled. */
  private final List<WriteCallback> inFlight = new ArrayList<>();

  @Override
  public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
    frames.add(new String(bytes, StandardCharsets.UTF_8));
    binaryFrames.add(binary);
    inFlight.add(done);
  }

  void flush() {
    if (!stallWrites) {
      List<WriteCallback> done = new ArrayList<>(inFlight);
      inFlight.clear();
      done.forEach(cb -> cb.written(true));
    }
  }

  @Override
  public boolean supportsNativePings() {
    return true;
  }

  @Override
  public void writeNativePing() {
    nativePings++;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public void close(int code, String reason) {
    closed = true;
    closeCode = code;
  }

  @Override
  public void terminate() {
    closed = true;
    closeCode = 1011;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  long pings() {
    return frames.stream().filter(f -> f.startsWith("{\"type\":\"ping\"")).count();
  }
}
