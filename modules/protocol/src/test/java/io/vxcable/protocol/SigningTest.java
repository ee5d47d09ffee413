package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signed stream names and JWTs, checked against vectors computed with Node's crypto. */
class SigningTest {

  /** node: base64(JSON("chat/2023")) + "--" + hex(HMAC-SHA256("s3Krit", base64part)). */
  static final String SIGNED = "ImNoYXQvMjAyMyI=--2b2e054b6413bf3bc7e8bbad2f68962aa2ba19821800ccbd8de6fd7314e8320c";
  /** node: HS256 {ext:"{\"uid\":\"42\"}", exp: 4102444800} with "qwerty". */
  static final String TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHQiOiJ7XCJ1aWRcIjpcIjQyXCJ9IiwiZXhwIjo0MTAyNDQ0ODAwfQ."
      + "O9ZvI-dr59RgizjzLH5VUB7Jq6el-61_NQujTyxA5Aw";
  /** node: HS512 {ext:"{\"uid\":\"1\"}"} (no exp) with "qwerty". */
  static final String TOKEN_512 = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJleHQiOiJ7XCJ1aWRcIjpcIjFcIn0ifQ."
      + "vh9hupmL9zQ1-MCbbam6hSvQHqm03qgbu1K7HYzAKi6Yrmltf_M6OIvOVAw4o2fzkfN23nEHp4PSRCUEZzFmhA";
  static final long NOW = 1_800_000_000L;

  @Test
  void streamNamesAreSignedAndVerifiedLikeRailsMessageVerifier() {
    MessageVerifier v = new MessageVerifier("s3Krit");
    assertThat(v.generate("chat/2023")).isEqualTo(SIGNED);
    assertThat(v.verify(SIGNED)).isEqualTo("chat/2023");
  }

  @Test
  void tamperedOrMalformedSignaturesAreRefused() {
    MessageVerifier v = new MessageVerifier("s3Krit");
    assertThat(new MessageVerifier("other").verify(SIGNED)).isNull();
    assertThat(v.verify(SIGNED.replace("--2b", "--3b"))).isNull();
    assertThat(v.verify("ImNoYXQvMjAyMyI=")).isNull();
    assertThat(v.verify("a--b--c")).isNull();
    assertThat(v.verify(null)).isNull();
    String notAString = java.util.Base64.getEncoder().encodeToString("{\"a\":1}".getBytes());
    assertThat(v.verify(notAString + "--" + Hmac.hexSha256("s3Krit", notAString))).isNull();
  }

  @Test
  void aValidTokenYieldsItsExtClaim() {
    JwtResult r = Jwt.verify(TOKEN, "qwerty", NOW);
    assertThat(r.status()).isEqualTo(JwtResult.Status.VALID);
    assertThat(r.ext()).isEqualTo("{\"uid\":\"42\"}");
    assertThat(Jwt.verify(TOKEN_512, "qwerty", NOW)).isEqualTo(new JwtResult(JwtResult.Status.VALID, "{\"uid\":\"1\"}"));
  }

  @Test
  void expiryIsCheckedAfterTheSignature() {
    assertThat(Jwt.verify(TOKEN, "qwerty", 4102444801L).status()).isEqualTo(JwtResult.Status.EXPIRED);
    assertThat(Jwt.verify(TOKEN, "wrong", 4102444801L).status()).isEqualTo(JwtResult.Status.INVALID);
  }

  @Test
  void forgedUnsignedAndMalformedTokensAreInvalid() {
    assertThat(Jwt.verify(TOKEN, "wrong", NOW).status()).isEqualTo(JwtResult.Status.INVALID);
    String none = "eyJhbGciOiJub25lIn0." + TOKEN.split("\\.")[1] + ".";
    assertThat(Jwt.verify(none, "qwerty", NOW).status()).isEqualTo(JwtResult.Status.INVALID);
    assertThat(Jwt.verify("a.b", "qwerty", NOW).status()).isEqualTo(JwtResult.Status.INVALID);
    assertThat(Jwt.verify("!!.??.**", "qwerty", NOW).status()).isEqualTo(JwtResult.Status.INVALID);
  }

  /** An HS256 token whose first two segments are exactly {@code head} and {@code body}, correctly signed. */
  static String signedOver(String head, String body, String secret) {
    byte[] sig = Hmac.sign("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8),
        (head + "." + body).getBytes(StandardCharsets.US_ASCII));
    return head + "." + body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
  }

  static String b64url(String json) {
    return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static JwtResult.Status status(String token) {
    return Jwt.verify(token, "qwerty", NOW).status();
  }

  @Test
  void aPaddedSignatureIsInvalidAsWithGolangJwtsRawUrlEncoding() {
    String[] parts = TOKEN.split("\\.");
    assertThat(parts[2]).hasSize(43);
    assertThat(status(TOKEN)).isEqualTo(JwtResult.Status.VALID);
    assertThat(status(TOKEN + "=")).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(TOKEN + "==")).isEqualTo(JwtResult.Status.INVALID);
  }

  @Test
  void aPaddedHeaderIsInvalidEvenWhenTheSignatureCoversIt() {
    String body = TOKEN.split("\\.")[1];
    String padded = b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\" }");
    assertThat(padded).endsWith("=");
    String unpadded = padded.replace("=", "");
    assertThat(status(signedOver(unpadded, body, "qwerty"))).isEqualTo(JwtResult.Status.VALID);
    assertThat(status(signedOver(padded, body, "qwerty"))).isEqualTo(JwtResult.Status.INVALID);
  }

  @Test
  void aPaddedPayloadIsInvalidEvenWhenTheSignatureCoversIt() {
    String head = TOKEN.split("\\.")[0];
    String padded = b64url("{\"ext\":\"{}\",\"exp\":4102444800}");
    assertThat(padded).endsWith("=");
    String unpadded = padded.replace("=", "");
    assertThat(status(signedOver(head, unpadded, "qwerty"))).isEqualTo(JwtResult.Status.VALID);
    assertThat(status(signedOver(head, padded, "qwerty"))).isEqualTo(JwtResult.Status.INVALID);
  }

  @Test
  void standardBase64CharactersAreInvalidInAnySegment() {
    String[] parts = TOKEN.split("\\.");
    String plusSlashSig = parts[2].replace('-', '+').replace('_', '/');
    assertThat(plusSlashSig).contains("+").contains("/");
    assertThat(status(parts[0] + "." + parts[1] + "." + plusSlashSig)).isEqualTo(JwtResult.Status.INVALID);
    String json = "{\"alg\":\"HS256\",\"x\":\"?>?>?>\"}";
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    String std = Base64.getEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    assertThat(std).containsAnyOf("+", "/").isNotEqualTo(url);
    assertThat(status(signedOver(url, parts[1], "qwerty"))).isEqualTo(JwtResult.Status.VALID);
    assertThat(status(signedOver(std, parts[1], "qwerty"))).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(signedOver(parts[0], std, "qwerty"))).isEqualTo(JwtResult.Status.INVALID);
  }

  /** Found by JwtFuzzTest: the unused low bits of a signature's last character were ignored. */
  @Test
  void aSignatureIsValidInItsCanonicalSpellingOnly() {
    assertThat(TOKEN).endsWith("5Aw");
    assertThat(status(TOKEN.substring(0, TOKEN.length() - 1) + "x")).isEqualTo(JwtResult.Status.INVALID);
    assertThat(TOKEN_512).endsWith("hA");
    assertThat(status(TOKEN_512.substring(0, TOKEN_512.length() - 1) + "B")).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(TOKEN_512.substring(0, TOKEN_512.length() - 1) + "P")).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(TOKEN_512)).isEqualTo(JwtResult.Status.VALID);
  }

  @Test
  void emptySegmentsAreInvalid() {
    String[] parts = TOKEN.split("\\.");
    assertThat(status("." + parts[1] + "." + parts[2])).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(signedOver("", parts[1], "qwerty"))).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(parts[0] + ".." + parts[2])).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(signedOver(parts[0], "", "qwerty"))).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status(parts[0] + "." + parts[1] + ".")).isEqualTo(JwtResult.Status.INVALID);
    assertThat(status("..")).isEqualTo(JwtResult.Status.INVALID);
  }

  @Test
  void notBeforeAndNonStringExtClaimsAreHandled() {
    String future = Jwt.signHs256("{\"ext\":\"{}\",\"nbf\":" + (NOW + 100) + "}", "k");
    assertThat(Jwt.verify(future, "k", NOW).status()).isEqualTo(JwtResult.Status.INVALID);
    String object = Jwt.signHs256("{\"ext\":{\"uid\":1}}", "k");
    assertThat(Jwt.verify(object, "k", NOW)).isEqualTo(new JwtResult(JwtResult.Status.VALID, null));
  }

  @Test
  void derivedKeysMatchAnycableGo() {
    assertThat(Hmac.hexSha256("qwerty", "broadcast-cable"))
        .isEqualTo("42923a28b760e667fc92f7c6123bb07a282822b329dd2ef48e7aee7830d98485");
    assertThat(Hmac.constantTimeEquals("a", "a")).isTrue();
    assertThat(Hmac.constantTimeEquals("a", "b")).isFalse();
    assertThat(Hmac.constantTimeEquals("a", null)).isFalse();
  }
}
