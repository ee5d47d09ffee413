package io.vxcable.session.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vxcable.contracts.actioncable.Command;
import io.vxcable.contracts.actioncable.Message;
import io.vxcable.contracts.actioncable.StreamHistoryRequest;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.ProtocolException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes a protobuf client frame: an {@code action_cable.Message}, on the plain and the extended
 * protocol alike. The {@code command} enum's names are the commands; {@code unknown_command} and
 * numbers the schema does not know decode as no command (the engine answers them as unknown).
 * Proto3 cannot tell an empty string from a missing one: an empty {@code identifier} or
 * {@code data} is absent. {@code data} is JSON text by the schema's design: it is the command's
 * text as it is (what {@code message} performs) and, when it is a JSON value, that value (what
 * {@code whisper} sends: the client encoder stringifies a whisper's object), else the text as a
 * JSON string. The schema has no presence field, so presence commands cannot be expressed.
 */
final class ProtobufCommands {

  private ProtobufCommands() {}

  static ClientCommand decode(byte[] frame) throws ProtocolException {
    Message m;
    try {
      m = Message.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("invalid protobuf: " + e.getMessage());
    }
    Command c = Command.forNumber(m.getCommandValue());
    String command = c == null || c == Command.unknown_command ? null : c.name();
    String identifier = m.getIdentifier().isEmpty() ? null : m.getIdentifier();
    String dataString = null;
    String dataJson = null;
    if (!m.getData().isEmpty()) {
      dataString = m.getData();
      dataJson = JsonText.isJson(dataString) ? dataString.strip() : JsonText.quote(dataString);
    }
    ClientCommand.HistoryRequest history = m.hasHistory() ? history(m) : null;
    return new ClientCommand(command, identifier, dataString, dataJson, history, null);
  }

  /** {@code since} and the per-stream positions (an empty map when none: the field cannot be absent). */
  private static ClientCommand.HistoryRequest history(Message m) throws ProtocolException {
    Map<String, ClientCommand.StreamPosition> streams = new LinkedHashMap<>();
    for (Map.Entry<String, StreamHistoryRequest> e : m.getHistory().getStreamsMap().entrySet()) {
      if (e.getValue().getOffset() < 0) {
        throw new ProtocolException("offset must be a non-negative integer");
      }
      streams.put(e.getKey(), new ClientCommand.StreamPosition(e.getValue().getEpoch(), e.getValue().getOffset()));
    }
    return new ClientCommand.HistoryRequest(m.getHistory().getSince(), Collections.unmodifiableMap(streams));
  }
}
