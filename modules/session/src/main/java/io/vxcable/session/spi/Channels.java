package io.vxcable.session.spi;

import io.vxcable.protocol.JsonText;

/**
 * The channels the engine serves without an application, as a translator names them in the
 * commands it produces: {@code $pubsub} streams (public with {@code --public_streams}, signed
 * with {@code --streams_secret}), Turbo Streams and CableReady.
 */
public final class Channels {

  /** The channel of AnyCable's public and signed streams. */
  public static final String PUBSUB = "$pubsub";
  public static final String TURBO = "Turbo::StreamsChannel";
  public static final String CABLE_READY = "CableReady::Stream";
  /** Pusher's channels ({@code --pusher_app_id} and {@code --pusher_app_key}). */
  public static final String PUSHER = "$pusher";

  private Channels() {}

  /** The identifier of a public stream: {@code {"channel":"$pubsub","stream_name":"<stream>"}}. */
  public static String pubsub(String stream) {
    return "{\"channel\":\"" + PUBSUB + "\",\"stream_name\":" + JsonText.quote(stream) + "}";
  }

  /**
   * The identifier of a Pusher channel: {@code {"channel":"$pusher","stream":"<channel>"}} with, when
   * not null, the client's {@code auth} signature and presence {@code channel_data}.
   */
  public static String pusher(String channel, String auth, String channelData) {
    StringBuilder b = new StringBuilder(64).append("{\"channel\":\"").append(PUSHER).append("\",\"stream\":")
        .append(JsonText.quote(channel));
    if (auth != null) {
      b.append(",\"auth\":").append(JsonText.quote(auth));
    }
    if (channelData != null) {
      b.append(",\"channel_data\":").append(JsonText.quote(channelData));
    }
    return b.append('}').toString();
  }

  /** The identifier of a signed stream: {@code {"channel":"$pubsub","signed_stream_name":"<signed>"}}. */
  public static String signedPubsub(String signedStream) {
    return "{\"channel\":\"" + PUBSUB + "\",\"signed_stream_name\":" + JsonText.quote(signedStream) + "}";
  }
}
