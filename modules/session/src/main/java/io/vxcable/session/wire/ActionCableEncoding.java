package io.vxcable.session.wire;

import io.vxcable.session.spi.WireProtocol;

/**
 * What the encodings of Action Cable have in common: a sub-protocol name
 * ({@code actioncable-v1[-ext]-<format>}) and the plain or extended conversation.
 */
abstract class ActionCableEncoding implements WireProtocol {

  private final String name;
  private final boolean extended;

  ActionCableEncoding(String name, boolean extended) {
    this.name = name;
    this.extended = extended;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean extended() {
    return extended;
  }

  @Override
  public final String toString() {
    return name;
  }
}
