package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.JsonFuzz;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the client frame decoder: whatever a client sends, {@link CommandParser#parse} returns a
 * command or throws {@link ProtocolException}; nothing else escapes (no runtime exception, no
 * stack overflow), and it accepts only valid JSON.
 */
class CommandParserFuzzTest {

  static final List<String> KEYS = List.of("command", "identifier", "data", "history", "presence",
      "since", "streams", "epoch", "offset", "id", "info");

  /** The parsed command, or null when the frame was rejected with a ProtocolException. */
  static ClientCommand parseOrReject(String frame) {
    try {
      ClientCommand c = CommandParser.parse(frame);
      assertThat(c).as("parse never returns null").isNotNull();
      return c;
    } catch (ProtocolException e) {
      return null;
    }
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.randomValue(r -> new JsonFuzz(r, KEYS).document(6));
  }

  @Provide
  Arbitrary<String> commands() {
    return Arbitraries.of("subscribe", "unsubscribe", "message", "whisper", "history", "join", "leave", "");
  }

  @Property(tries = 1000)
  void anyStringIsACommandOrAProtocolError(@ForAll String frame) {
    ClientCommand c = parseOrReject(frame);
    if (c != null) {
      assertThat(JsonText.isJson(frame)).as("accepted only valid JSON: %s", frame).isTrue();
    }
  }

  @Property(tries = 1000)
  void jsonishFramesAreCommandsOrProtocolErrors(@ForAll("jsonish") String frame) {
    ClientCommand c = parseOrReject(frame);
    if (c != null) {
      assertThat(JsonText.isJson(frame)).as("accepted only valid JSON: %s", frame).isTrue();
      assertThat(frame.strip()).startsWith("{");
    }
    Statistics.label("outcome").collect(c == null ? "rejected" : "parsed");
    Statistics.label("outcome").coverage(cov -> {
      cov.check("parsed").percentage(p -> p > 5);
      cov.check("rejected").percentage(p -> p > 5);
    });
  }

  @Property(tries = 200)
  void deepNestingUnderAnyKeyNeverOverflowsTheStack(@ForAll @IntRange(min = 1, max = 3000) int depth,
      @ForAll("keys") String key, @ForAll boolean closed, @ForAll long seed) {
    String nested = new JsonFuzz(new java.util.Random(seed), KEYS).deep(depth, closed);
    String frame = "{\"command\":\"message\",\"" + key + "\":" + nested + (closed ? "}" : "");
    ClientCommand c = parseOrReject(frame);
    if (!closed) {
      assertThat(c).as("an unclosed frame is rejected").isNull();
    }
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(KEYS);
  }

  @Property(tries = 1000)
  void aWellFormedCommandParsesBackToItsIdentifierAndData(@ForAll("commands") String command,
      @ForAll String identifier, @ForAll String data) throws ProtocolException {
    String frame = "{\"command\":" + JsonText.quote(command) + ",\"identifier\":" + JsonText.quote(identifier)
        + ",\"data\":" + JsonText.quote(data) + "}";
    ClientCommand c = CommandParser.parse(frame);
    assertThat(c.command()).isEqualTo(command);
    assertThat(c.identifier()).isEqualTo(identifier);
    assertThat(c.dataString()).isEqualTo(data);
    assertThat(c.dataJson()).isEqualTo(JsonText.quote(data));
  }

  @Property(tries = 500)
  void structuredDataIsCopiedAsCompactJson(@ForAll("jsonValues") String data) throws ProtocolException {
    ClientCommand c = parseOrReject("{\"command\":\"whisper\",\"identifier\":\"x\",\"data\":" + data + "}");
    if (c != null && c.dataString() == null && c.dataJson() != null) {
      assertThat(JsonText.isJson(c.dataJson())).as("re-serialised data is JSON: %s", c.dataJson()).isTrue();
      assertThat(CommandParser.parse("{\"data\":" + c.dataJson() + "}").dataJson()).isEqualTo(c.dataJson());
    }
  }

  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.randomValue(r -> {
      StringBuilder n = new StringBuilder(r.nextBoolean() ? "-" : "");
      n.append(r.nextInt(4) == 0 ? "0" : (1 + r.nextInt(9)) + digits(r, r.nextInt(r.nextBoolean() ? 3 : 40)));
      if (r.nextBoolean()) {
        n.append('.').append(r.nextInt(10)).append(digits(r, r.nextInt(r.nextBoolean() ? 3 : 40)));
      }
      if (r.nextBoolean()) {
        n.append(r.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(r.nextInt(3))).append(1 + r.nextInt(9))
            .append(digits(r, r.nextInt(4)));
      }
      return n.toString();
    });
  }

  private static String digits(java.util.Random r, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(r.nextInt(10));
    }
    return sb.toString();
  }

  /** Whisper data and presence info reach other clients as written, not rounded through a double. */
  @Property(tries = 1000)
  void numbersInStructuredDataAreCopiedAsWritten(@ForAll("numbers") String n) throws ProtocolException {
    ClientCommand c = CommandParser.parse("{\"data\":[" + n + "],\"presence\":{\"info\":{\"n\":" + n + "}}}");
    assertThat(c.dataJson()).isEqualTo("[" + n + "]");
    assertThat(c.presence().infoJson()).isEqualTo("{\"n\":" + n + "}");
  }

  @Provide
  Arbitrary<String> jsonValues() {
    return Arbitraries.randomValue(r -> new JsonFuzz(r, KEYS).value(8));
  }
}
