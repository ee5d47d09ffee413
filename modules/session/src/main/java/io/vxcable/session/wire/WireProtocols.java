package io.vxcable.session.wire;

import io.vxcable.session.spi.WireProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire protocols one endpoint speaks, in the server's order of preference, and the one a
 * client gets when it offers none of them (anycable-go accepts such a client as plain Action Cable
 * and answers no sub-protocol).
 *
 * @param offered the protocols chosen by their sub-protocol name, most preferred first
 * @param fallback the protocol of a client that offered none of them
 */
public record WireProtocols(List<WireProtocol> offered, WireProtocol fallback) {

  public WireProtocols {
    offered = List.copyOf(offered);
  }

  /**
   * Action Cable as anycable-go (Pro) serves it: JSON, msgpack and protobuf, each plain then
   * extended ({@code actioncable-v1-json}, {@code actioncable-v1-ext-json},
   * {@code actioncable-v1-msgpack}, ...); a client offering none of them is served plain JSON.
   */
  public static WireProtocols actionCable() {
    return new WireProtocols(List.of(ActionCableJson.V1, ActionCableJson.EXT, ActionCableMsgpack.V1,
        ActionCableMsgpack.EXT, ActionCableProtobuf.V1, ActionCableProtobuf.EXT), ActionCableJson.V1);
  }

  /** One protocol for every client, whatever it offers (a translated protocol on a path of its own). */
  public static WireProtocols only(WireProtocol protocol) {
    return new WireProtocols(protocol.name() == null ? List.of() : List.of(protocol), protocol);
  }

  /** These protocols plus {@code more}, after them in preference. */
  public WireProtocols with(List<WireProtocol> more) {
    List<WireProtocol> all = new ArrayList<>(offered);
    all.addAll(more);
    return new WireProtocols(all, fallback);
  }

  /**
   * The first of the server's protocols the client offered in {@code Sec-WebSocket-Protocol}
   * (server preference, as anycable-go), or null when it offered none of them.
   */
  public WireProtocol select(String offeredHeader) {
    if (offeredHeader == null) {
      return null;
    }
    String[] entries = offeredHeader.split(",");
    for (WireProtocol candidate : offered) {
      for (String e : entries) {
        if (candidate.name().equals(e.trim())) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** The sub-protocol names, in preference order. */
  public List<String> names() {
    return offered.stream().map(WireProtocol::name).toList();
  }
}
