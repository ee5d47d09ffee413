package io.vxcable.session;

import java.util.Map;

/**
 * What the handshake request tells about a connection, captured once.
 *
 * @param url {@code http(s)://<host><uri>} as AnyCable reports it to the application
 * @param headers the headers passed to the application (lower-case names; {@code REMOTE_ADDR})
 * @param params URL query parameters (last value wins)
 * @param jwtToken the token from the {@code x-<param>} header, the sub-protocol or the query; null when absent
 * @param remoteAddress client IP without port
 * @param restoreSid the session to resume: {@code X-ANYCABLE-RESTORE-SID}, else {@code ?sid=}; null when absent
 */
public record RequestInfo(
    String url, Map<String, String> headers, Map<String, String> params, String jwtToken, String remoteAddress,
    String restoreSid) {

  public String param(String name) {
    return params.get(name);
  }
}
