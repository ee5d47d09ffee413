package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicationIntakeTest {

  final List<StreamBroadcast> published = new ArrayList<>();
  final List<RemoteCommand> commands = new ArrayList<>();
  final Publisher recorder = new Publisher() {
    @Override
    public io.vertx.core.Future<Void> publish(List<StreamBroadcast> b) {
      published.addAll(b);
      return io.vertx.core.Future.succeededFuture();
    }

    @Override
    public void command(RemoteCommand c) {
      commands.add(c);
    }
  };

  int post(PublicationIntake intake, String body) {
    return intake.handle("POST", null, body.getBytes(StandardCharsets.UTF_8)).result();
  }

  String message(int i) {
    return published.get(i).getMessage().toStringUtf8();
  }

  @Test
  void aSinglePublicationIsPublishedWithItsMessageValue() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    assertThat(post(intake, "{\"stream\":\"chat\",\"data\":\"{\\\"text\\\":\\\"hi\\\"}\"}")).isEqualTo(201);
    assertThat(published).hasSize(1);
    assertThat(published.get(0).getStream()).isEqualTo("chat");
    assertThat(message(0)).isEqualTo("{\"text\":\"hi\"}");
    assertThat(intake.publications()).isEqualTo(1);
  }

  @Test
  void dataIsDeliveredAsJsonWhenItIsJsonAndAsAStringOtherwise() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    post(intake, "{\"stream\":\"s\",\"data\":\"\\\"hello\\\"\"}");
    post(intake, "{\"stream\":\"s\",\"data\":\"not json\"}");
    post(intake, "{\"stream\":\"s\",\"data\":\"12345678901234567890\"}");
    post(intake, "{\"stream\":\"s\",\"data\":\"null\"}");
    post(intake, "{\"stream\":\"s\",\"data\":\"<script>alert('x');</script>\"}");
    assertThat(message(0)).isEqualTo("\"hello\"");
    assertThat(message(1)).isEqualTo("\"not json\"");
    assertThat(message(2)).isEqualTo("12345678901234567890");
    assertThat(message(3)).isEqualTo("null");
    assertThat(message(4)).isEqualTo("\"<script>alert('x');</script>\"");
  }

  @Test
  void aBatchIsPublishedInOrder() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    assertThat(post(intake, "[{\"stream\":\"a\",\"data\":\"1\"},{\"stream\":\"b\",\"data\":\"2\"},{\"stream\":\"a\",\"data\":\"3\"}]"))
        .isEqualTo(201);
    assertThat(published).extracting(StreamBroadcast::getStream).containsExactly("a", "b", "a");
    assertThat(published).extracting(b -> b.getMessage().toStringUtf8()).containsExactly("1", "2", "3");
    assertThat(intake.publications()).isEqualTo(1);
  }

  @Test
  void metaFieldsAndPublisherPositionsPassThrough() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    post(intake, "{\"stream\":\"s\",\"data\":\"1\",\"epoch\":\"e1\",\"offset\":7,"
        + "\"meta\":{\"exclude_socket\":\"sid1\",\"broadcast_type\":\"note\",\"transient\":true,\"other\":[1]}}");
    StreamBroadcast b = published.get(0);
    assertThat(b.getExcludeSocket()).isEqualTo("sid1");
    assertThat(b.getBroadcastType()).isEqualTo("note");
    assertThat(b.getTransient()).isTrue();
    assertThat(b.getEpoch()).isEqualTo("e1");
    assertThat(b.getOffset()).isEqualTo(7);
  }

  @Test
  void invalidBodiesAreAcceptedButNothingIsPublished() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    assertThat(post(intake, "garbage")).isEqualTo(201);
    assertThat(post(intake, "{\"stream\":\"\",\"data\":\"1\"}")).isEqualTo(201);
    assertThat(post(intake, "{\"stream\":\"s\",\"data\":{\"a\":1}}")).isEqualTo(201);
    assertThat(post(intake, "{\"stream\":\"s\"}")).isEqualTo(201);
    assertThat(post(intake, "[]")).isEqualTo(201);
    assertThat(post(intake, "{\"command\":\"explode\",\"payload\":{}}")).isEqualTo(201);
    assertThat(post(intake, "42")).isEqualTo(201);
    assertThat(published).isEmpty();
    assertThat(commands).isEmpty();
    assertThat(intake.failed()).isEqualTo(7);
  }

  @Test
  void aKeyRequiresTheExactBearerHeader() {
    PublicationIntake intake = new PublicationIntake("k3y", recorder);
    byte[] body = "{\"stream\":\"s\",\"data\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(intake.handle("POST", null, body).result()).isEqualTo(401);
    assertThat(intake.handle("POST", "Bearer nope", body).result()).isEqualTo(401);
    assertThat(intake.handle("POST", "bearer k3y", body).result()).isEqualTo(401);
    assertThat(intake.handle("POST", "Bearer k3y", body).result()).isEqualTo(201);
    assertThat(published).hasSize(1);
  }

  @Test
  void onlyPostIsAccepted() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    assertThat(intake.handle("GET", null, new byte[0]).result()).isEqualTo(422);
    assertThat(intake.handle("PUT", null, "{\"stream\":\"s\",\"data\":\"1\"}".getBytes(StandardCharsets.UTF_8)).result()).isEqualTo(422);
    assertThat(published).isEmpty();
  }

  @Test
  void aRemoteDisconnectBecomesACommand() {
    PublicationIntake intake = new PublicationIntake("", recorder);
    post(intake, "{\"command\":\"disconnect\",\"payload\":{\"identifier\":\"{\\\"uid\\\":\\\"26\\\"}\",\"reconnect\":true}}");
    assertThat(commands).hasSize(1);
    assertThat(commands.get(0).getDisconnect().getIdentifiers()).isEqualTo("{\"uid\":\"26\"}");
    assertThat(commands.get(0).getDisconnect().getReconnect()).isTrue();
  }
}
