package io.vxcable.rpc;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

/** Applies {@code rpc_enable_tls}, {@code rpc_tls_verify} and {@code rpc_tls_root_ca} to a client. */
final class RpcTls {

  private RpcTls() {}

  static HttpClientOptions apply(HttpClientOptions http, RpcOptions o) {
    if (!o.tls()) {
      return http;
    }
    http.setSsl(true).setUseAlpn(true);
    if (!o.tlsVerify()) {
      http.setTrustAll(true).setVerifyHost(false);
    } else {
      http.setVerifyHost(true);
    }
    String ca = o.tlsRootCa();
    if (!ca.isEmpty()) {
      PemTrustOptions trust = new PemTrustOptions();
      if (ca.contains("-----BEGIN")) {
        trust.addCertValue(Buffer.buffer(ca));
      } else {
        trust.addCertPath(ca);
      }
      http.setTrustOptions(trust);
    }
    return http;
  }
}
