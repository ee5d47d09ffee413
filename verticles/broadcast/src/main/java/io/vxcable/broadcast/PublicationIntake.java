package io.vxcable.broadcast;

import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.Hmac;
import java.util.logging.Logger;

/**
 * The HTTP broadcast endpoint's logic, independent of the server: authorization, method, parsing,
 * and publication in input order. Status codes are anycable-go's: 201 accepted (also for a body
 * that does not parse: it is logged and counted), 401 bad authorization, 422 not a POST.
 */
public final class PublicationIntake {

  private static final Logger LOG = Logger.getLogger(PublicationIntake.class.getName());

  private final String expectedAuthorization;
  private final Publisher publisher;
  private long publications;
  private long failed;

  public PublicationIntake(String key, Publisher publisher) {
    this.expectedAuthorization = key == null || key.isEmpty() ? null : "Bearer " + key;
    this.publisher = publisher;
  }

  public int handle(String method, String authorization, byte[] body) {
    if (expectedAuthorization != null && !Hmac.constantTimeEquals(expectedAuthorization, authorization)) {
      return 401;
    }
    if (!"POST".equals(method)) {
      return 422;
    }
    PublicationParser.Parsed parsed;
    try {
      parsed = PublicationParser.parse(body);
    } catch (PublicationParser.InvalidPublicationException e) {
      failed++;
      LOG.warning(() -> "ignoring broadcast: " + e.getMessage());
      return 201;
    }
    publications++;
    for (StreamBroadcast b : parsed.broadcasts()) {
      publisher.publish(b);
    }
    for (RemoteCommand c : parsed.commands()) {
      publisher.command(c);
    }
    return 201;
  }

  /** Bodies accepted (a batch counts once). */
  public long publications() {
    return publications;
  }

  /** Bodies that did not parse. */
  public long failed() {
    return failed;
  }
}
