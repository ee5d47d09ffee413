package io.vxcable.http;

import io.vxcable.config.Settings;

/**
 * The limits every HTTP listener applies before a request reaches a handler. A zero turns a limit
 * off.
 *
 * @param readHeaderTimeoutMs a request head must be complete this long after the connection opens,
 *     or after the first byte of the next request on a kept-alive connection (anycable-go: Go's
 *     {@code ReadHeaderTimeout}, 5 s); then 408 and close
 * @param readTimeoutMs the whole request, head and body, must be read within this long; then 408
 *     and close
 * @param idleTimeoutMs a kept-alive connection may stay silent this long between requests, and a
 *     client may leave a response unread this long; then the connection is closed
 * @param maxBodySize the largest request body a handler reads, in bytes; then 413 and close
 */
public record HttpLimits(long readHeaderTimeoutMs, long readTimeoutMs, long idleTimeoutMs, long maxBodySize) {

  /** The defaults of the option catalogue: 5 s, 30 s, 60 s and 4 MiB. */
  public static final HttpLimits DEFAULTS = new HttpLimits(5_000, 30_000, 60_000, 4L << 20);

  public HttpLimits {
    if (readHeaderTimeoutMs < 0 || readTimeoutMs < 0 || idleTimeoutMs < 0 || maxBodySize < 0) {
      throw new IllegalArgumentException("HTTP limits cannot be negative");
    }
  }

  /** From {@code --http_read_header_timeout}, {@code --http_read_timeout}, {@code --http_idle_timeout} and {@code --http_max_body_size}. */
  public static HttpLimits from(Settings s) {
    return new HttpLimits(
        Math.max(0, s.integer("http_read_header_timeout")) * 1000L,
        Math.max(0, s.integer("http_read_timeout")) * 1000L,
        Math.max(0, s.integer("http_idle_timeout")) * 1000L,
        Math.max(0, s.integer("http_max_body_size")));
  }

  /** The body limit as a bound: {@link Long#MAX_VALUE} when off. */
  public long bodyBound() {
    return maxBodySize == 0 ? Long.MAX_VALUE : maxBodySize;
  }
}
