package io.vxcable.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Signed stream names as Rails' {@code ActiveSupport::MessageVerifier} makes them with SHA256 and
 * the JSON serializer: {@code base64(JSON(name)) + "--" + hex(HMAC-SHA256(secret, base64part))}.
 */
public final class MessageVerifier {

  private static final JsonFactory FACTORY = new JsonFactory();

  private final String secret;

  public MessageVerifier(String secret) {
    this.secret = secret;
  }

  public String generate(String streamName) {
    String data = Base64.getEncoder().encodeToString(JsonText.quote(streamName).getBytes(StandardCharsets.UTF_8));
    return data + "--" + Hmac.hexSha256(secret, data);
  }

  /** The stream name, or null for a bad format, a wrong digest, or a payload that is not a JSON string. */
  public String verify(String signed) {
    if (signed == null) {
      return null;
    }
    String[] parts = signed.split("--", -1);
    if (parts.length != 2 || parts[0].isEmpty()) {
      return null;
    }
    if (!Hmac.constantTimeEquals(Hmac.hexSha256(secret, parts[0]), parts[1])) {
      return null;
    }
    byte[] json;
    try {
      json = Base64.getDecoder().decode(parts[0]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    // Read as UTF-8 text, as anycable-go does: parsing the bytes would let Jackson skip a byte
    // order mark or detect UTF-16/32, and accept names anycable-go refuses.
    try (JsonParser p = FACTORY.createParser(new String(json, StandardCharsets.UTF_8))) {
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      String name = p.getText();
      return p.nextToken() == null ? name : null;
    } catch (IOException e) {
      return null;
    }
  }
}
