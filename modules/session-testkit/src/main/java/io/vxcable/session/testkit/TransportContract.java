package io.vxcable.session.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.session.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Transport} must do for the session engine: deliver frames whole, in order and
 * of the kind asked (text or binary), tell each write's outcome exactly once, refuse writes once
 * closed, close with the engine's code, and never modify the bytes it was given (they are shared
 * by every subscriber of a broadcast).
 *
 * <p>A subclass opens the transport on a connection whose far end it can watch ({@link Peer}).
 */
public abstract class TransportContract {

  /** One frame as the peer received it. */
  public record Frame(boolean binary, byte[] bytes) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** The far end of a connection under test. */
  public interface Peer {
    /** The frames received so far (data frames only), in order. */
    List<Frame> received();

    /** Lets pending writes reach the peer where the test connection needs a push; no-op otherwise. */
    void flush();

    /** Whether the peer saw the transport close the connection (a close frame, or the end of TCP). */
    boolean closed();

    /** The close code the peer received; -1 when none. */
    int closeCode();
  }

  /** A transport on a fresh connection, and its peer. */
  public record Opened(Transport transport, Peer peer) {}

  protected abstract Opened open();

  /** The outcome of one write: how many times the callback ran, and with what. */
  static final class Outcome implements Transport.WriteCallback {
    final List<Boolean> calls = new ArrayList<>();

    @Override
    public void written(boolean ok) {
      calls.add(ok);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void framesArriveWholeInOrderAndOfTheirKind() {
    Opened o = open();
    // A text-only transport (SSE) is never given a binary frame: binary protocols need supportsBinary().
    boolean binary = o.transport().supportsBinary();
    o.transport().writeFrame(bytes("{\"n\":1}"), false, ok -> { });
    if (binary) {
      o.transport().writeFrame(new byte[] {1, 2, 3}, true, ok -> { });
    }
    o.transport().writeFrame(bytes("{\"n\":3}"), false, ok -> { });
    o.peer().flush();
    List<Frame> got = o.peer().received();
    assertThat(got).hasSize(binary ? 3 : 2);
    assertThat(got.get(0).binary()).isFalse();
    assertThat(got.get(0).text()).isEqualTo("{\"n\":1}");
    if (binary) {
      assertThat(got.get(1).binary()).isTrue();
      assertThat(got.get(1).bytes()).containsExactly(1, 2, 3);
    }
    assertThat(got.get(got.size() - 1).text()).isEqualTo("{\"n\":3}");
  }

  @Test
  void everyWriteIsToldItsOutcomeExactlyOnce() {
    Opened o = open();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Outcome out = new Outcome();
      outcomes.add(out);
      o.transport().writeFrame(bytes("frame " + i), false, out);
    }
    o.peer().flush();
    for (Outcome out : outcomes) {
      assertThat(out.calls).containsExactly(true);
    }
  }

  @Test
  void theSharedBytesAreNeverModified() {
    Opened o = open();
    byte[] shared = bytes("{\"shared\":true}");
    byte[] copy = shared.clone();
    o.transport().writeFrame(shared, false, ok -> { });
    o.transport().writeFrame(shared, false, ok -> { });
    o.peer().flush();
    assertThat(shared).isEqualTo(copy);
    assertThat(o.peer().received()).extracting(Frame::text).containsExactly("{\"shared\":true}", "{\"shared\":true}");
  }

  @Test
  void aCloseCarriesTheEnginesCodeAndRefusesLaterWrites() {
    Opened o = open();
    o.transport().close(1000, "Auth Failed");
    o.peer().flush();
    assertThat(o.transport().isClosed()).isTrue();
    assertThat(o.peer().closed()).isTrue();
    assertThat(o.peer().closeCode()).isIn(1000, -1);
    Outcome late = new Outcome();
    o.transport().writeFrame(bytes("late"), false, late);
    o.peer().flush();
    assertThat(late.calls).containsExactly(false);
    assertThat(o.peer().received()).extracting(Frame::text).doesNotContain("late");
  }

  @Test
  void terminateEndsTheConnection() {
    Opened o = open();
    o.transport().terminate();
    o.peer().flush();
    assertThat(o.transport().isClosed()).isTrue();
    assertThat(o.peer().closed()).isTrue();
  }
}
