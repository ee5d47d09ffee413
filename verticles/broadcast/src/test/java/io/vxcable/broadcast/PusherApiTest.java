package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Pusher HTTP API's signature checks and publications, with the example of Pusher's own
 * documentation (app 3, key {@code 278d425bdf160c739803}, secret {@code 7ad3773142a6692b25b8}).
 */
class PusherApiTest {

  static final String BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
  static final String QUERY = "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
      + "&body_md5=ec365a775a4cd0599faeb73354201b6f"
      + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";

  final List<StreamBroadcast> published = new ArrayList<>();
  long now = 1353088179;
  final PusherApi api = new PusherApi(null, "3", "278d425bdf160c739803", "7ad3773142a6692b25b8", new Publisher() {
    @Override
    public Future<Void> publish(List<StreamBroadcast> b) {
      published.addAll(b);
      return Future.succeededFuture();
    }

    @Override
    public void command(RemoteCommand c) {}
  }, () -> now);

  PusherApi.Response post(String path, String query, String body) {
    return api.handle("POST", path, query, body.getBytes(StandardCharsets.UTF_8)).result();
  }

  @Test
  void pushersDocumentedRequestIsAcceptedAndPublishedAsAnEvent() {
    PusherApi.Response r = post("/apps/3/events", QUERY, BODY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    assertThat(published).singleElement().satisfies(b -> {
      assertThat(b.getStream()).isEqualTo("project-3");
      assertThat(new JsonObject(b.getMessage().toStringUtf8()))
          .isEqualTo(new JsonObject().put("event", "foo").put("data", "{\"some\":\"data\"}"));
      assertThat(b.getExcludeSocket()).isEmpty();
    });
  }

  @Test
  void aWrongSignatureBodyKeyOrTimeIsRefused() {
    assertThat(post("/apps/3/events", QUERY.replace("da4548", "da4549"), BODY).body()).startsWith("Invalid signature");
    assertThat(post("/apps/3/events", QUERY, BODY.replace("foo", "bar")).body()).isEqualTo("Invalid body_md5\n");
    assertThat(post("/apps/3/events", QUERY.replace("278d", "378d"), BODY).body()).isEqualTo("Unknown auth_key\n");
    now += 601;
    PusherApi.Response stale = post("/apps/3/events", QUERY, BODY);
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.body()).startsWith("Timestamp expired");
    assertThat(published).isEmpty();
  }

  @Test
  void theSignedPathIsTheOneRequested() {
    assertThat(post("/apps/3/batch_events", QUERY, BODY).status()).as("signed for /events").isEqualTo(401);
    assertThat(api.owns("/apps/3/events")).isTrue();
    assertThat(api.owns("/apps/30/events")).isFalse();
  }
}
