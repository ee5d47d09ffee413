package io.vxcable.contracts;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec for an immutable protobuf message. Inside one process the object is passed by
 * reference ({@link #transform} returns it unchanged); across the cluster it travels as a
 * length-prefixed protobuf encoding. The codec name is the message's full proto name, so every
 * node resolves the same codec.
 */
final class ProtoCodec<T extends Message> implements MessageCodec<T, T> {

  private final String name;
  private final Parser<T> parser;

  ProtoCodec(String name, Parser<T> parser) {
    this.name = name;
    this.parser = parser;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    byte[] bytes = message.toByteArray();
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    byte[] bytes = buffer.getBytes(pos + 4, pos + 4 + length);
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("Corrupt " + name + " on the event bus", e);
    }
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
