package io.vxcable.session.ds;

import io.vxcable.config.Settings;
import io.vxcable.http.HttpLimits;

/**
 * The Durable Streams settings ({@code --ds_*}, anycable-go's names and defaults).
 *
 * @param path the mount path; streams are read at {@code <path>/<stream>} ({@code --ds_path}, {@code /ds})
 * @param skipAuth no client authentication, only stream authorization ({@code --ds_skip_auth})
 * @param pollIntervalMs how long a long poll waits for a message ({@code --ds_poll_interval}, 10 s)
 * @param sseTtlMs how long an SSE read stays open ({@code --ds_sse_ttl}, 60 s; 0 means 60 s, as in anycable-go)
 * @param idleTimeoutMs {@code --http_idle_timeout}: a response waiting longer than this leaves the
 *     connection's request deadlines (and the connection closes with it)
 */
record DsOptions(String path, boolean skipAuth, long pollIntervalMs, long sseTtlMs, long idleTimeoutMs) {

  public static DsOptions from(Settings s) {
    int ttl = s.integer("ds_sse_ttl");
    return new DsOptions(s.string("ds_path"), s.bool("ds_skip_auth"), Math.max(0, s.integer("ds_poll_interval")) * 1000L,
        (ttl <= 0 ? 60 : ttl) * 1000L, HttpLimits.from(s).idleTimeoutMs());
  }
}
