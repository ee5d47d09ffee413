package io.vxcable.session;

import io.vxcable.config.Settings;
import java.util.List;

/**
 * What a session engine needs to know, read from resolved {@link Settings} (keys are anycable-go
 * flag names, defaults are anycable-go's). Durations are in the unit of the flag: seconds unless
 * noted. Shared by the gateway and every translator verticle.
 *
 * @param writeTimeout seconds a pending write may stall before the connection is dropped
 * @param maxPendingSize bytes queued and not yet written before the client counts as slow; 0 = unlimited
 * @param pingInterval seconds between pings; 0 or less disables them ({@code ?pi=} overrides)
 * @param pingPrecision {@code s}, {@code ms} or {@code ns} ({@code ?ptp=} overrides)
 * @param pongTimeout seconds after a ping a client must send something (extended protocol); 0 = off
 * @param nativePings also send transport-level pings (WebSocket ping frames)
 * @param norpc no RPC: unknown channels are rejected locally
 * @param noauth accept every connection with identifiers {@code {"sid":"<sid>"}}
 * @param publicStreams allow unsigned {@code stream_name}
 * @param streamsSecret key for signed stream names; empty = signed streams unavailable
 * @param streamsWhisper whispers on signed streams
 * @param streamsPresence presence on signed streams
 * @param turboSecret key for Turbo::StreamsChannel; empty = route disabled
 * @param cableReadySecret key for CableReady::Stream; empty = route disabled
 * @param jwtSecret JWT key; empty = JWT identification off
 * @param jwtParam query param name; the header is {@code x-<param>}
 * @param enforceJwt reject connections without a token
 * @param headers request headers copied into the RPC env (lower case)
 * @param proxyCookies cookie names kept in the proxied cookie header; empty = all
 * @param disconnectMode when to call Disconnect: auto, always, never (anything else: never)
 * @param rpcTimeoutMs how long the engine waits for the rpc verticle's answer (command budget + 1 s)
 * @param broker a broker is deployed: history is served and sessions are cached
 * @param sessionsTtl seconds a session can be resumed (0 = never)
 * @param presenceTtl seconds a presence record outlives its session's last keep-alive
 * @param maxSubscriptions subscriptions one connection may hold; 0 = unlimited
 * @param pusherKey the Pusher app key; empty = the {@code $pusher} channel is off (Pusher mode is on
 *     when both {@code --pusher_app_id} and {@code --pusher_app_key} are set)
 * @param pusherSecret the key of Pusher's channel signatures ({@code --pusher_secret}, else {@code --secret})
 */
public record SessionOptions(
    int writeTimeout,
    int maxPendingSize,
    int pingInterval,
    String pingPrecision,
    int pongTimeout,
    boolean nativePings,
    boolean norpc,
    boolean noauth,
    boolean publicStreams,
    String streamsSecret,
    boolean streamsWhisper,
    boolean streamsPresence,
    String turboSecret,
    String cableReadySecret,
    String jwtSecret,
    String jwtParam,
    boolean enforceJwt,
    List<String> headers,
    List<String> proxyCookies,
    String disconnectMode,
    long rpcTimeoutMs,
    boolean broker,
    int sessionsTtl,
    int presenceTtl,
    int maxSubscriptions,
    String pusherKey,
    String pusherSecret) {

  public SessionOptions {
    headers = List.copyOf(headers);
    proxyCookies = List.copyOf(proxyCookies);
  }

  public static SessionOptions from(Settings s) {
    return new SessionOptions(
        s.integer("ws_write_timeout"),
        s.integer("ws_max_pending_size"),
        s.integer("ping_interval"),
        s.string("ping_timestamp_precision"),
        s.integer("pong_timeout"),
        s.bool("enable_native_pings"),
        s.bool("norpc"),
        s.bool("noauth"),
        s.bool("public_streams"),
        s.string("streams_secret"),
        s.bool("streams_whisper"),
        s.bool("streams_presence"),
        s.bool("turbo_streams") ? s.string("turbo_streams_secret") : "",
        s.bool("cable_ready") ? s.string("cable_ready_secret") : "",
        s.string("jwt_secret"),
        s.string("jwt_param"),
        s.bool("enforce_jwt"),
        s.list("headers").stream().map(String::toLowerCase).toList(),
        s.list("proxy-cookies"),
        s.string("disconnect_mode"),
        Math.max(1, s.integer("rpc_command_timeout")) + 1000L,
        !s.string("broker").isEmpty() && !s.string("broker").equals("none"),
        s.integer("sessions_ttl"),
        s.integer("presence_ttl"),
        Math.max(0, s.integer("max_subscriptions_per_connection")),
        pusher(s) ? s.string("pusher_app_key") : "",
        pusher(s) ? s.string("pusher_secret") : "");
  }

  /** Pusher mode: both the app id and the app key are set. */
  public static boolean pusher(Settings s) {
    return !s.string("pusher_app_id").isEmpty() && !s.string("pusher_app_key").isEmpty();
  }

  /** Sessions of the extended protocol are cached and can be resumed. */
  public boolean resumable() {
    return broker && sessionsTtl > 0;
  }
}
