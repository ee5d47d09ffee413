package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.protocol.Hmac;
import io.vxcable.protocol.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * anycable-go's REST API, independent of the server that received the request:
 * {@code POST {api_path}/publish} (a publication or a batch, as {@code /_broadcast}) and
 * {@code GET {api_path}/presence/<stream>/users}. With a secret, requests need
 * {@code Authorization: Bearer <api_secret>} exactly.
 */
final class RestApi {

  /** A status and a JSON body (null = none). Paths are raw (percent-encoded), as the server received them. */
  record Response(int status, String json) {}

  static final String NO_PRESENCE =
      "{\"error\":\"presence is not enabled: start the server with --broker=memory (or --broker=hazelcast in a cluster)\"}";
  private static final Pattern USERS = Pattern.compile("/presence/([^/]+)/users$");

  private final EventBus bus;
  private final String path;
  private final String expectedAuthorization;
  private final PublicationIntake publish;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000);

  /**
   * @param path the API prefix ({@code --api_path}), without a trailing slash
   * @param secret {@code --api_secret} (derived from {@code --secret}); empty = no authentication
   * @param publisher where accepted publications go (the same route as HTTP broadcasts)
   */
  RestApi(EventBus bus, String path, String secret, Publisher publisher) {
    this.bus = bus;
    this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.expectedAuthorization = secret == null || secret.isEmpty() ? null : "Bearer " + secret;
    this.publish = new PublicationIntake(secret, publisher);
  }

  /** Publication bodies accepted on {@code /publish} (a batch counts once). */
  long publications() {
    return publish.publications();
  }

  /** Publication bodies that did not parse. */
  long failed() {
    return publish.failed();
  }

  /** Whether a request path belongs to the API. */
  boolean owns(String requestPath) {
    return requestPath.equals(path) || requestPath.startsWith(path + "/");
  }

  /** Whether a request path is the publishing endpoint (the only one that reads a body). */
  boolean isPublish(String requestPath) {
    return requestPath.equals(path + "/publish");
  }

  Future<Response> handle(String method, String requestPath, String authorization, byte[] body) {
    String rest = requestPath.substring(Math.min(path.length(), requestPath.length()));
    if (rest.equals("/publish")) {
      return publish.handle(method, authorization, body).map(status -> new Response(status, null));
    }
    Matcher m = USERS.matcher(rest);
    if (!rest.startsWith("/presence/") || !m.matches()) {
      return Future.succeededFuture(new Response(404, null));
    }
    if (!"GET".equals(method)) {
      return Future.succeededFuture(new Response(422, null));
    }
    if (expectedAuthorization != null && !Hmac.constantTimeEquals(expectedAuthorization, authorization)) {
      return Future.succeededFuture(new Response(401, null));
    }
    return users(decode(m.group(1)));
  }

  /**
   * The stream from its percent-encoded path segment. anycable-go matches the decoded path, so a
   * stream name with a slash cannot be asked for there; here it can, encoded as {@code %2F}.
   */
  static String decode(String segment) {
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return segment;
    }
  }

  private Future<Response> users(String stream) {
    return BusRequests.<PresenceInfoReply>localFirst(bus, Addresses.PRESENCE_INFO, PresenceInfoRequest.newBuilder().setStream(stream).build(), options)
        .map(reply -> {
          PresenceInfoReply r = reply.body();
          return r.getError().isEmpty() ? new Response(200, info(r)) : new Response(400, null);
        })
        .otherwise(err -> {
          // No presence verticle: the broker has no presence support (anycable-go's 501), said in the body.
          boolean missing = err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          return missing ? new Response(501, NO_PRESENCE) : new Response(400, null);
        });
  }

  /** {@code {"type":"info","total":N,"records":[{"info":..,"id":".."}]}}; no records for an unknown stream. */
  static String info(PresenceInfoReply r) {
    if (!r.getKnown()) {
      return Replies.presenceInfoMessage(0, null);
    }
    List<String> records = new ArrayList<>(r.getRecordsCount());
    for (PresenceRecord rec : r.getRecordsList()) {
      records.add(Replies.presenceRecord(rec.getId(), rec.getInfo().isEmpty() ? null : rec.getInfo().toString(StandardCharsets.UTF_8)));
    }
    return Replies.presenceInfoMessage(records.size(), records);
  }

}
