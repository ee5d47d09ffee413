package io.vxcable.http;

/**
 * What an endpoint does with a request body before its handler sees the request: nothing (read
 * endpoints: a body is never buffered), or read it within a limit once the checks that need no
 * body passed ({@link PublishCheck}: method, key).
 *
 * @param check the checks before the body; null = read no body
 * @param maxBytes the body limit
 */
public record BodyPolicy(PublishCheck check, long maxBytes) {

  /** No body is read. */
  public static BodyPolicy none() {
    return new BodyPolicy(null, 0);
  }

  /** A publishing endpoint: method and key first, then the body within {@code limits}. */
  public static BodyPolicy publish(PublishCheck check, HttpLimits limits) {
    return new BodyPolicy(check, limits.bodyBound());
  }

  public boolean readsBody() {
    return check != null;
  }
}
