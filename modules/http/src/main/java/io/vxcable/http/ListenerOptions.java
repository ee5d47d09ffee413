package io.vxcable.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What every HTTP listener of the server shares: HTTP/1.1 only, and a TLS handshake deadline. */
public final class ListenerOptions {

  private ListenerOptions() {}

  /**
   * Refuses cleartext HTTP/2 (prior knowledge and {@code Upgrade: h2c}) and, over TLS, offers only
   * HTTP/1.1 by ALPN; the TLS handshake must finish within the request head's deadline (10 s when
   * that is off). Returns {@code options}.
   */
  public static HttpServerOptions harden(HttpServerOptions options, HttpLimits limits) {
    options.setHttp2ClearTextEnabled(false).setAlpnVersions(List.of(HttpVersion.HTTP_1_1));
    long handshake = limits.readHeaderTimeoutMs() > 0 ? limits.readHeaderTimeoutMs() : 10_000;
    options.setSslHandshakeTimeout(handshake).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    return options;
  }
}
