package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.JsonFuzz;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing JWT verification: {@link Jwt#verify} never throws, whatever the token, and a valid token
 * changed in any way (a character flipped, inserted or removed, padding added) is never valid.
 */
class JwtFuzzTest {

  static final long NOW = 1_800_000_000L;
  static final List<String> CLAIMS = List.of("alg", "typ", "exp", "nbf", "ext", "iat", "sub");
  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /** What a mutation may put in: the alphabet, padding, standard base64, separators, odd characters. */
  static final String NOISE = ALPHABET + "=+/.% \n\u0000é";

  static JwtResult verify(String token, String secret) {
    JwtResult r = Jwt.verify(token, secret, NOW);
    assertThat(r).isNotNull();
    assertThat(r.status()).isNotNull();
    return r;
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A correctly signed token over the given header and claims JSON (any text) with HS256, 384 or 512. */
  static String sign(String header, String claims, String secret, String algorithm) {
    String signed = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
    byte[] sig = Hmac.sign(algorithm, secret.getBytes(StandardCharsets.UTF_8), signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + b64(sig);
  }

  @Property(tries = 1000)
  void anyStringIsAnInvalidToken(@ForAll String token, @ForAll String secret) {
    assertThat(verify(token, secret).status()).isNotEqualTo(JwtResult.Status.VALID);
  }

  @Provide
  Arbitrary<String> segments() {
    return Arbitraries.strings().withChars(NOISE.toCharArray()).ofMaxLength(90);
  }

  @Property(tries = 1000)
  void anyThreeSegmentsAreAnInvalidToken(@ForAll("segments") String head, @ForAll("segments") String body,
      @ForAll("segments") String sig) {
    assertThat(verify(head + "." + body + "." + sig, "qwerty").status()).isNotEqualTo(JwtResult.Status.VALID);
  }

  /** A correctly signed token whose header and claims are random JSON-ish text. */
  record Signed(String token, String secret) {}

  @Provide
  Arbitrary<Signed> signedJsonish() {
    return Arbitraries.randomValue(r -> {
      JsonFuzz fuzz = new JsonFuzz(r, CLAIMS);
      String algorithm = List.of("HmacSHA256", "HmacSHA384", "HmacSHA512").get(r.nextInt(3));
      String alg = "HS" + algorithm.substring(7);
      String header = r.nextInt(3) == 0 ? fuzz.document(3) : "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
      String claims = r.nextInt(4) == 0 ? fuzz.document(4) : claims(r, fuzz);
      String secret = r.nextBoolean() ? "qwerty" : fuzz.string();
      return new Signed(sign(header, claims, secret, algorithm), secret);
    });
  }

  private static String claims(Random r, JsonFuzz fuzz) {
    StringBuilder sb = new StringBuilder("{\"ext\":").append(r.nextBoolean() ? "\"{\\\"uid\\\":1}\"" : fuzz.value(2));
    if (r.nextBoolean()) {
      sb.append(",\"exp\":").append(r.nextBoolean() ? Long.toString(NOW + r.nextInt(200) - 100) : fuzz.value(1));
    }
    if (r.nextBoolean()) {
      sb.append(",\"nbf\":").append(r.nextBoolean() ? Long.toString(NOW + r.nextInt(200) - 100) : fuzz.value(1));
    }
    return sb.append('}').toString();
  }

  @Property(tries = 1000)
  void signedJsonishTokensNeverThrow(@ForAll("signedJsonish") Signed t) {
    JwtResult r = verify(t.token(), t.secret());
    if (r.status() != JwtResult.Status.VALID) {
      assertThat(r.ext()).isNull();
    }
    Statistics.label("status").collect(r.status());
    Statistics.label("status").coverage(cov -> {
      cov.check(JwtResult.Status.VALID).percentage(p -> p > 5);
      cov.check(JwtResult.Status.INVALID).percentage(p -> p > 5);
      cov.check(JwtResult.Status.EXPIRED).percentage(p -> p > 1);
    });
  }

  /** A valid token and a mutation of it (which may, rarely, be the same text). */
  record Mutated(String original, String mutated, String secret) {}

  @Provide
  Arbitrary<Mutated> mutations() {
    return Arbitraries.randomValue(r -> {
      String secret = r.nextBoolean() ? "qwerty" : Long.toHexString(r.nextLong());
      String algorithm = List.of("HmacSHA256", "HmacSHA384", "HmacSHA512").get(r.nextInt(3));
      String header = "{\"alg\":\"HS" + algorithm.substring(7) + "\",\"typ\":\"JWT\"}";
      String claims = "{\"ext\":\"{\\\"uid\\\":\\\"" + r.nextInt(100_000) + "\\\"}\"" + (r.nextBoolean() ? ",\"exp\":4102444800" : "") + "}";
      String token = sign(header, claims, secret, algorithm);
      return new Mutated(token, mutate(r, token), secret);
    });
  }

  static String mutate(Random r, String token) {
    int at = r.nextInt(token.length());
    char c = NOISE.charAt(r.nextInt(NOISE.length()));
    String[] parts = token.split("\\.");
    return switch (r.nextInt(5)) {
      case 0 -> token.substring(0, at) + c + token.substring(at + 1);
      case 1 -> token.substring(0, at) + c + token.substring(at);
      case 2 -> token.substring(0, at) + token.substring(at + 1);
      case 3 -> {
        int segment = r.nextInt(3);
        parts[segment] = parts[segment] + "=".repeat(1 + r.nextInt(2));
        yield String.join(".", parts);
      }
      default -> token.substring(0, token.length() - 1) + ALPHABET.charAt(r.nextInt(ALPHABET.length()));
    };
  }

  @Property(tries = 1000)
  void aMutatedValidTokenIsNeverValid(@ForAll("mutations") Mutated m) {
    assertThat(verify(m.original(), m.secret()).status()).isEqualTo(JwtResult.Status.VALID);
    JwtResult r = verify(m.mutated(), m.secret());
    if (!m.mutated().equals(m.original())) {
      assertThat(r.status()).as("mutated %s into %s", m.original(), m.mutated()).isNotEqualTo(JwtResult.Status.VALID);
    }
  }
}
