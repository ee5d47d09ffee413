package io.vxcable.protocol;

import java.util.Map;

/**
 * A decoded client command.
 *
 * @param command the {@code command} field; null when absent
 * @param identifier the {@code identifier} field; null when absent
 * @param dataString {@code data} when it is a JSON string (what {@code message} needs); else null
 * @param dataJson {@code data} re-serialised as compact JSON whatever its type (what {@code whisper}
 *     sends); null when absent
 * @param history the {@code history} object; null when absent
 * @param presence the {@code presence} object; null when absent
 */
public record ClientCommand(
    String command,
    String identifier,
    String dataString,
    String dataJson,
    HistoryRequest history,
    PresenceData presence) {

  /**
   * @param since unix seconds; 0 when absent
   * @param streams per-stream positions; null when the key is absent, possibly empty otherwise
   */
  public record HistoryRequest(long since, Map<String, StreamPosition> streams) {}

  public record StreamPosition(String epoch, long offset) {}

  /** @param infoJson compact JSON of {@code info}; null when absent */
  public record PresenceData(String id, String infoJson) {}
}
