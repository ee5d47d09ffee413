package io.vxcable.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The checks of a publishing endpoint ({@code /_broadcast}, {@code {api_path}/publish}) that need
 * no body, in anycable-go's order: the method (422), then the bearer key (401). Run before a body
 * byte is read, so a client without the key never makes the server buffer anything.
 */
public final class PublishCheck {

  private final byte[] expected;

  /** @param key the bearer key; null or empty = no authorization */
  public PublishCheck(String key) {
    this.expected = key == null || key.isEmpty() ? null : ("Bearer " + key).getBytes(StandardCharsets.UTF_8);
  }

  /** 0 when the request may go on, else the status to answer with. */
  public int status(String method, String authorization) {
    if (!"POST".equals(method)) {
      return 422;
    }
    if (expected != null && (authorization == null
        || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8)))) {
      return 401;
    }
    return 0;
  }
}
