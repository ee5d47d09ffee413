package io.vxcable.session.poll;

import io.vxcable.config.Settings;

/**
 * The long-polling options, read from resolved {@link Settings} (anycable-go Pro's flag names and
 * defaults). Durations are in milliseconds here.
 *
 * @param path the endpoint ({@code --poll_path}, default {@code /lp})
 * @param intervalMs how long a poll with nothing to deliver waits ({@code --poll_interval} s, default 15); 0 = answer at once
 * @param flushMs how long a waiting poll gathers more messages after the first one ({@code --poll_flush_interval}, default 500)
 * @param maxRequestSize the largest request body in bytes ({@code --poll_max_request_size}, default 65536); beyond it 413
 * @param keepaliveMs how long a session lives after a response without a new request
 *     ({@code --poll_keepalive_timeout} s, default 5; at least 1 s)
 * @param writeTimeoutMs how long writing one response may take before its connection is dropped
 *     ({@code --ws_write_timeout} s, default 2); 0 = unbounded
 */
public record PollOptions(String path, long intervalMs, long flushMs, int maxRequestSize, long keepaliveMs,
    long writeTimeoutMs) {

  public static final String DEFAULT_PATH = "/lp";
  public static final int DEFAULT_INTERVAL = 15;
  public static final int DEFAULT_FLUSH_INTERVAL = 500;
  public static final int DEFAULT_MAX_REQUEST_SIZE = 65536;
  public static final int DEFAULT_KEEPALIVE_TIMEOUT = 5;

  public PollOptions {
    if (path == null || path.isEmpty()) {
      path = DEFAULT_PATH;
    }
    intervalMs = Math.max(0, intervalMs);
    flushMs = Math.max(0, flushMs);
    maxRequestSize = Math.max(0, maxRequestSize);
    keepaliveMs = Math.max(1000, keepaliveMs);
    writeTimeoutMs = Math.max(0, writeTimeoutMs);
  }

  public static PollOptions from(Settings s) {
    return new PollOptions(s.string("poll_path"), s.integer("poll_interval") * 1000L,
        s.integer("poll_flush_interval"), s.integer("poll_max_request_size"),
        s.integer("poll_keepalive_timeout") * 1000L, s.integer("ws_write_timeout") * 1000L);
  }
}
