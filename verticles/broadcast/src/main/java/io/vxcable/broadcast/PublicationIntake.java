package io.vxcable.broadcast;

import io.vxcable.contracts.bus.RemoteCommand;
import io.vertx.core.Future;
import io.vxcable.protocol.Hmac;
import java.util.logging.Logger;

/**
 * The HTTP broadcast endpoint's logic, independent of the server: method, authorization, parsing,
 * and publication in input order. Status codes are anycable-go's: 201 accepted (also for a body
 * that does not parse: it is logged and counted), 401 bad authorization, 422 not a POST, 501 when
 * the broker could not store a publication.
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

  public Future<Integer> handle(String method, String authorization, byte[] body) {
    if (!"POST".equals(method)) {
      return Future.succeededFuture(422);
    }
    if (expectedAuthorization != null && !Hmac.constantTimeEquals(expectedAuthorization, authorization)) {
      return Future.succeededFuture(401);
    }
    PublicationParser.Parsed parsed;
    try {
      parsed = PublicationParser.parse(body);
    } catch (PublicationParser.InvalidPublicationException e) {
      failed++;
      LOG.warning(() -> "ignoring broadcast: " + e.getMessage());
      return Future.succeededFuture(201);
    }
    publications++;
    // Broadcasts leave first (in order; the broker stamps in that order), then remote commands.
    Future<Void> accepted = parsed.broadcasts().isEmpty() ? null : publisher.publish(parsed.broadcasts());
    for (RemoteCommand c : parsed.commands()) {
      publisher.command(c);
    }
    if (accepted == null) {
      return Future.succeededFuture(201);
    }
    return accepted.map(201).otherwise(err -> {
      LOG.warning(() -> "broker refused a publication: " + err.getMessage());
      return 501;
    });
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
