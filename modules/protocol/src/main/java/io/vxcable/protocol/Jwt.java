package io.vxcable.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HMAC JSON Web Tokens as AnyCable uses them for identification: HS256/384/512, the signature
 * checked before the claims, {@code exp} (expired when now is past it) and {@code nbf} enforced
 * with no leeway, and the identifiers in the {@code ext} claim. Each segment is unpadded base64url
 * (golang-jwt's {@code RawURLEncoding}): a segment with {@code =} padding or any character outside
 * {@code [A-Za-z0-9_-]} makes the token invalid, and so does a signature spelled other than in its
 * canonical encoding (non-zero unused bits in its last character).
 */
public final class Jwt {

  private Jwt() {}

  public static JwtResult verify(String token, String secret, long nowEpochSeconds) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !rawUrl(parts[0]) || !rawUrl(parts[1]) || !rawUrl(parts[2])) {
      return JwtResult.invalid();
    }
    JsonObject header = json(parts[0]);
    if (header == null) {
      return JwtResult.invalid();
    }
    String algorithm = switch (String.valueOf(header.getValue("alg"))) {
      case "HS256" -> "HmacSHA256";
      case "HS384" -> "HmacSHA384";
      case "HS512" -> "HmacSHA512";
      default -> null;
    };
    if (algorithm == null) {
      return JwtResult.invalid();
    }
    byte[] expected = Hmac.sign(algorithm, secret.getBytes(StandardCharsets.UTF_8),
        (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    // The signature's text is compared with the canonical encoding of the expected one: a decoder
    // would ignore the unused low bits of the last character, so one signature would have several
    // spellings (golang-jwt's strict decoding rejects them too).
    byte[] expectedText = Base64.getUrlEncoder().withoutPadding().encode(expected);
    if (!MessageDigest.isEqual(expectedText, parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return JwtResult.invalid();
    }
    JsonObject claims = json(parts[1]);
    if (claims == null) {
      return JwtResult.invalid();
    }
    Object exp = claims.getValue("exp");
    if (exp != null) {
      if (!(exp instanceof Number n)) {
        return JwtResult.invalid();
      }
      if (nowEpochSeconds > n.doubleValue()) {
        return new JwtResult(JwtResult.Status.EXPIRED, null);
      }
    }
    Object nbf = claims.getValue("nbf");
    if (nbf != null && (!(nbf instanceof Number n) || nowEpochSeconds < n.doubleValue())) {
      return JwtResult.invalid();
    }
    Object ext = claims.getValue("ext");
    return new JwtResult(JwtResult.Status.VALID, ext instanceof String s ? s : null);
  }

  /** An HS256 token for the given payload (tests and examples). */
  public static String signHs256(String payloadJson, String secret) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String body = b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    byte[] sig = Hmac.sign("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8),
        (head + "." + body).getBytes(StandardCharsets.US_ASCII));
    return head + "." + body + "." + b64.encodeToString(sig);
  }

  /**
   * True when {@code segment} is unpadded base64url: only {@code [A-Za-z0-9_-]}, and a length a
   * whole number of bytes can have (never 1 modulo 4).
   */
  static boolean rawUrl(String segment) {
    if (segment.length() % 4 == 1) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static JsonObject json(String segment) {
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }
}
