package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.JsonFuzz;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing signed stream names: {@link MessageVerifier#verify} returns the stream name or null and
 * never throws, whatever a client sends, even a correctly signed payload that is not a JSON string;
 * what it generates it verifies; a changed signed name is never accepted.
 */
class MessageVerifierFuzzTest {

  static final String SECRET = "s3Krit";

  /** What the name becomes on the wire: UTF-8, so a lone surrogate reads back as '?'. */
  static String utf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  static String signed(String base64Part) {
    return base64Part + "--" + Hmac.hexSha256(SECRET, base64Part);
  }

  @Property(tries = 1000)
  void anyStringIsRefused(@ForAll String signed, @ForAll String secret) {
    assertThat(new MessageVerifier(secret).verify(signed)).isNull();
  }

  @Property(tries = 1000)
  void whatIsGeneratedIsVerified(@ForAll String name) {
    MessageVerifier v = new MessageVerifier(SECRET);
    assertThat(v.verify(v.generate(name))).isEqualTo(utf8(name));
  }

  @Property(tries = 1000)
  void aSignedPayloadOfAnyBytesIsANameOrNull(@ForAll @Size(max = 200) byte[] payload) {
    String result = new MessageVerifier(SECRET).verify(signed(Base64.getEncoder().encodeToString(payload)));
    if (result != null) {
      // a JSON string in UTF-8 holds two quote bytes
      assertThat(IntStream.range(0, payload.length).filter(i -> payload[i] == '"').count()).isGreaterThanOrEqualTo(2);
    }
  }

  /** Found by {@link #aSignedJsonishPayloadIsANameOrNull} (seed -2321448866275003484). */
  @org.junit.jupiter.api.Test
  void aJsonStringAfterAByteOrderMarkIsRefused() {
    String json = "\uFEFF\"\u2028\\u001b[31m\"";
    assertThat(JsonText.isJson(json)).isFalse();
    String data = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    assertThat(new MessageVerifier(SECRET).verify(signed(data))).isNull();
    String clean = json.substring(1);
    assertThat(new MessageVerifier(SECRET).verify(signed(Base64.getEncoder().encodeToString(clean.getBytes(StandardCharsets.UTF_8)))))
        .isEqualTo("\u2028\u001b[31m");
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.randomValue(r -> {
      JsonFuzz fuzz = new JsonFuzz(r, List.of("a", "stream"));
      return r.nextBoolean() ? fuzz.string() : fuzz.document(4);
    });
  }

  @Property(tries = 1000)
  void aSignedJsonishPayloadIsANameOrNull(@ForAll("jsonish") String json, @ForAll boolean urlSafe) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String data = urlSafe ? Base64.getUrlEncoder().encodeToString(bytes) : Base64.getEncoder().encodeToString(bytes);
    String result = new MessageVerifier(SECRET).verify(signed(data));
    if (result != null) {
      assertThat(JsonText.isJson(json)).isTrue();
      assertThat(json.strip()).startsWith("\"");
    }
    Statistics.label("outcome").collect(result == null ? "refused" : "name");
    Statistics.label("outcome").coverage(cov -> cov.check("name").percentage(p -> p > 5));
  }

  @Property(tries = 1000)
  void aChangedSignedNameIsNeverAccepted(@ForAll String name, @ForAll @Size(min = 1, max = 3) List<Integer> edits,
      @ForAll char replacement) {
    MessageVerifier v = new MessageVerifier(SECRET);
    String original = v.generate(name);
    StringBuilder changed = new StringBuilder(original);
    for (int edit : edits) {
      int at = Math.floorMod(edit, changed.length());
      if (edit % 2 == 0) {
        changed.setCharAt(at, replacement);
      } else {
        changed.deleteCharAt(at);
      }
    }
    if (!changed.toString().equals(original)) {
      assertThat(v.verify(changed.toString())).isNull();
    }
  }
}
