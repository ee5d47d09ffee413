package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.JsonText;
import io.vxcable.testkit.JsonFuzz;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the publication decoder: whatever body a publisher sends, {@link PublicationParser#parse}
 * returns a publication (or batch, or remote command) or throws
 * {@link PublicationParser.InvalidPublicationException}; nothing else escapes, and a parsed body
 * has exactly one non-empty list.
 */
class PublicationParserFuzzTest {

  static final List<String> KEYS = List.of("stream", "data", "meta", "epoch", "offset", "command", "payload",
      "exclude_socket", "broadcast_type", "transient", "identifier", "reconnect");
  static final List<Charset> CHARSETS = List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_8, StandardCharsets.UTF_8,
      StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"));

  /** The parsed body, or null when it was refused as an invalid publication. */
  static PublicationParser.Parsed parseOrRefuse(byte[] body) {
    try {
      PublicationParser.Parsed parsed = PublicationParser.parse(body);
      assertThat(parsed.broadcasts().isEmpty()).as("exactly one list is non-empty").isNotEqualTo(parsed.commands().isEmpty());
      return parsed;
    } catch (PublicationParser.InvalidPublicationException e) {
      return null;
    }
  }

  @Property(tries = 1000)
  void anyBytesAreAPublicationOrInvalid(@ForAll @Size(max = 2048) byte[] body) {
    parseOrRefuse(body);
  }

  @Property(tries = 1000)
  void anyTextIsAPublicationOrInvalid(@ForAll String body) {
    parseOrRefuse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<byte[]> jsonish() {
    return Arbitraries.randomValue(r -> {
      JsonFuzz fuzz = new JsonFuzz(r, KEYS);
      String body = switch (r.nextInt(6)) {
        case 0 -> batch(r, fuzz);
        case 1 -> publication(r, fuzz);
        case 2 -> "{\"command\":\"disconnect\",\"payload\":" + (r.nextBoolean() ? fuzz.object(2)
            : "{\"identifier\":" + fuzz.string() + ",\"reconnect\":" + fuzz.value(1) + "}") + "}";
        default -> fuzz.document(5);
      };
      return body.getBytes(CHARSETS.get(r.nextInt(CHARSETS.size())));
    });
  }

  private static String batch(Random r, JsonFuzz fuzz) {
    StringBuilder sb = new StringBuilder("[");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? "," : "").append(r.nextBoolean() ? fuzz.document(3) : publication(r, fuzz));
    }
    return sb.append(r.nextInt(8) == 0 ? "" : "]").toString();
  }

  private static String publication(Random r, JsonFuzz fuzz) {
    String stream = r.nextBoolean() ? fuzz.string() : JsonText.quote("room/" + r.nextInt(1000));
    String data = switch (r.nextInt(4)) {
      case 0 -> fuzz.value(2);
      case 1 -> fuzz.string();
      default -> JsonText.quote(r.nextBoolean() ? "{\"text\":\"hi " + r.nextInt() + "\"}" : "plain \u00e9 " + r.nextLong());
    };
    String meta = switch (r.nextInt(4)) {
      case 0 -> ",\"meta\":" + fuzz.object(2);
      case 1 -> ",\"meta\":{\"exclude_socket\":" + fuzz.string() + ",\"transient\":" + r.nextBoolean() + "}";
      default -> "";
    };
    return "{\"stream\":" + stream + ",\"data\":" + data + meta + "}";
  }

  @Property(tries = 1000)
  void jsonishBodiesInAnyEncodingArePublicationsOrInvalid(@ForAll("jsonish") byte[] body) {
    PublicationParser.Parsed parsed = parseOrRefuse(body);
    Statistics.label("outcome").collect(parsed == null ? "invalid" : parsed.broadcasts().isEmpty() ? "command" : "broadcast");
    Statistics.label("outcome").coverage(cov -> {
      cov.check("broadcast").percentage(p -> p > 5);
      cov.check("command").percentage(p -> p > 1);
      cov.check("invalid").percentage(p -> p > 5);
    });
  }

  @Property(tries = 200)
  void deepNestingNeverOverflowsTheStack(@ForAll("keys") String key, @ForAll long seed, @ForAll boolean closed,
      @ForAll @IntRange(min = 1, max = 3000) int depth) {
    String nested = new JsonFuzz(new Random(seed), KEYS).deep(depth, closed);
    String body = "{\"stream\":\"s\",\"data\":\"d\",\"" + key + "\":" + nested + (closed ? "}" : "");
    PublicationParser.Parsed parsed = parseOrRefuse(body.getBytes(StandardCharsets.UTF_8));
    if (!closed) {
      assertThat(parsed).as("an unclosed body is invalid").isNull();
    }
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(KEYS);
  }

  @Property(tries = 1000)
  void aWellFormedPublicationCarriesItsStreamAndMessage(@ForAll String stream, @ForAll String data,
      @ForAll boolean asBatch) throws Exception {
    String one = "{\"stream\":" + JsonText.quote(stream) + ",\"data\":" + JsonText.quote(data) + "}";
    byte[] body = (asBatch ? "[" + one + "," + one + "]" : one).getBytes(StandardCharsets.UTF_8);
    if (utf8(stream).isEmpty()) {
      assertThat(parseOrRefuse(body)).as("an empty stream is invalid").isNull();
      return;
    }
    PublicationParser.Parsed parsed = PublicationParser.parse(body);
    assertThat(parsed.broadcasts()).hasSize(asBatch ? 2 : 1);
    StreamBroadcast b = parsed.broadcasts().get(0);
    assertThat(b.getStream()).isEqualTo(utf8(stream));
    assertThat(b.getMessage().toStringUtf8()).isEqualTo(JsonText.messageValue(utf8(data)));
  }

  /** What a string becomes once sent as UTF-8 (a lone surrogate turns into '?'). */
  static String utf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
