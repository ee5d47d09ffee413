package io.vxcable.session.spi;

/**
 * Whatever the hub delivers a stream's broadcasts to: a session, or a lighter reader (an SSE or
 * Durable Streams consumer with no channel commands). The hub encodes a broadcast once per stream,
 * identifier and {@link #protocol()}, and hands every subscriber of that group the same bytes.
 */
public interface HubSubscriber {

  /** The id a publisher may exclude ({@code meta.exclude_socket}). */
  String sid();

  /** The encoding of the frames this subscriber takes. */
  WireProtocol protocol();

  /**
   * One encoded broadcast frame, shared: never modified. Called on the hub's event loop.
   *
   * @param identifier the subscription it is for (a subscriber may listen under several)
   * @param broadcast what was encoded (its stream position, for a subscriber that holds frames back)
   */
  void deliver(String identifier, io.vxcable.contracts.bus.StreamBroadcast broadcast, byte[] frame);
}
