package io.vxcable.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What every HTTP listener of the server shares: HTTP/1.1 only, TLS 1.2+, a TLS handshake deadline. */
public final class ListenerOptions {

  private ListenerOptions() {}

  /**
   * A listener's options: {@code host}:{@code port}, TLS when a PEM certificate and key are given
   * ({@code --ssl_cert}, {@code --ssl_key}), hardened by {@link #harden}. WebSocket upgrades are
   * done by the server's own handshake (see the session library), so Vert.x's WebSocket extension
   * handler stays out of the pipeline: its inflater would not stop at the message size limit.
   */
  public static HttpServerOptions listener(String host, int port, String sslCert, String sslKey, HttpLimits limits) {
    HttpServerOptions so = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (sslCert != null && !sslCert.isEmpty()) {
      so.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(sslCert).setKeyPath(sslKey))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    }
    return harden(so, limits);
  }

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
