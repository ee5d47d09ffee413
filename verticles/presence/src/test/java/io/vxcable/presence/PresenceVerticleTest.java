package io.vxcable.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.PresenceChangeReply;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceJoin;
import io.vxcable.contracts.bus.PresenceLeave;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.contracts.bus.PresenceTouch;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verticle on a plain Vert.x with the memory backend, driven over the bus as a gateway does:
 * replies, and the events a subscriber of the stream's broadcast address receives.
 */
class PresenceVerticleTest {

  static final String STREAM = "chat/1";
  volatile long now = 1_700_000_000_000L;
  Vertx vertx;
  final BlockingQueue<StreamBroadcast> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress(STREAM), m -> {
      if (m.body().getStream().equals(STREAM)) {
        events.add(m.body());
      }
    }).completion().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  void deploy(JsonObject config) throws Exception {
    vertx.deployVerticle(new PresenceVerticle(() -> now), new DeploymentOptions().setConfig(config)).await(20, TimeUnit.SECONDS);
  }

  String join(String sid, String id, String info) throws Exception {
    PresenceJoin j = PresenceJoin.newBuilder().setStream(STREAM).setSid(sid).setId(id).setInfo(ByteString.copyFromUtf8(info)).build();
    return vertx.eventBus().<PresenceChangeReply>request(Addresses.PRESENCE_JOIN, j).await(10, TimeUnit.SECONDS).body().getError();
  }

  String leave(String sid) throws Exception {
    PresenceLeave l = PresenceLeave.newBuilder().setStream(STREAM).setSid(sid).build();
    return vertx.eventBus().<PresenceChangeReply>request(Addresses.PRESENCE_LEAVE, l).await(10, TimeUnit.SECONDS).body().getError();
  }

  PresenceInfoReply info(String stream) throws Exception {
    return vertx.eventBus().<PresenceInfoReply>request(Addresses.PRESENCE_INFO, PresenceInfoRequest.newBuilder().setStream(stream).build())
        .await(10, TimeUnit.SECONDS).body();
  }

  /** The next event; an event that should not have happened shows up here instead of the expected one. */
  String nextEvent() throws Exception {
    StreamBroadcast b = events.poll(10, TimeUnit.SECONDS);
    assertThat(b).as("a presence event").isNotNull();
    assertThat(b.getStream()).isEqualTo(STREAM);
    assertThat(b.getBroadcastType()).isEqualTo("presence");
    assertThat(b.getTransient()).isTrue();
    assertThat(b.getExcludeSocket()).isEmpty();
    return b.getMessage().toStringUtf8();
  }

  @Test
  void joinsLeavesAndInfoOverTheBus() throws Exception {
    deploy(new JsonObject().put("broker", "memory"));
    assertThat(join("s1", "alice", "{\"name\":\"Alice\"}")).isEmpty();
    assertThat(nextEvent()).isEqualTo("{\"id\":\"alice\",\"info\":{\"name\":\"Alice\"},\"type\":\"join\"}");
    assertThat(join("s2", "alice", "{\"name\":\"Alice B.\"}")).isEmpty();
    assertThat(join("s3", "bob", "")).isEmpty();
    assertThat(nextEvent()).isEqualTo("{\"id\":\"bob\",\"type\":\"join\"}");

    PresenceInfoReply reply = info(STREAM);
    assertThat(reply.getError()).isEmpty();
    assertThat(reply.getKnown()).isTrue();
    assertThat(reply.getRecordsList()).containsExactly(
        PresenceRecord.newBuilder().setId("alice").setInfo(ByteString.copyFromUtf8("{\"name\":\"Alice B.\"}")).build(),
        PresenceRecord.newBuilder().setId("bob").build());

    assertThat(leave("s1")).isEmpty();
    assertThat(leave("nobody")).isEmpty();
    assertThat(leave("s2")).isEmpty();
    assertThat(nextEvent()).isEqualTo("{\"id\":\"alice\",\"type\":\"leave\"}");
    assertThat(info(STREAM).getRecordsList()).extracting(PresenceRecord::getId).containsExactly("bob");
  }

  @Test
  void aSecondIdForOneSessionIsAnsweredWithAnError() throws Exception {
    deploy(new JsonObject().put("broker", "memory"));
    assertThat(join("s1", "alice", "")).isEmpty();
    assertThat(join("s1", "mallory", "")).isEqualTo("presence ID mismatch");
    assertThat(info(STREAM).getRecordsList()).extracting(PresenceRecord::getId).containsExactly("alice");
  }

  @Test
  void infoOfAStreamWithoutPresenceIsNotKnown() throws Exception {
    deploy(new JsonObject().put("broker", "memory"));
    PresenceInfoReply reply = info("empty");
    assertThat(reply.getKnown()).isFalse();
    assertThat(reply.getRecordsList()).isEmpty();
    assertThat(reply.getError()).isEmpty();
  }

  @Test
  void theSweepExpiresSessionsThatStoppedTouching() throws Exception {
    deploy(new JsonObject().put("broker", "memory").put("presence_ttl", 5));
    join("s1", "alice", "");
    join("s2", "bob", "");
    assertThat(nextEvent()).contains("alice");
    assertThat(nextEvent()).contains("bob");
    now += 3_000;
    vertx.eventBus().send(Addresses.PRESENCE_TOUCH, PresenceTouch.newBuilder().addSids("s1").build());
    info(STREAM); // answered after the touch is applied: one sender, one context
    now += 3_000; // bob is past his 5 s, alice was touched 3 s ago
    assertThat(nextEvent()).isEqualTo("{\"id\":\"bob\",\"type\":\"leave\"}");
    assertThat(info(STREAM).getRecordsList()).extracting(PresenceRecord::getId).containsExactly("alice");
    now += 3_000;
    assertThat(nextEvent()).isEqualTo("{\"id\":\"alice\",\"type\":\"leave\"}");
    assertThat(info(STREAM).getKnown()).isFalse();
  }

  @Test
  void withoutABrokerNothingIsRegistered() throws Exception {
    deploy(new JsonObject().put("broker", "none"));
    assertThatThrownBy(() -> join("s1", "alice", "")).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  @Test
  void aSecondMemoryInstanceStaysIdle() throws Exception {
    deploy(new JsonObject().put("broker", "memory"));
    deploy(new JsonObject().put("broker", "memory"));
    assertThat(join("s1", "alice", "")).isEmpty();
    assertThat(join("s2", "alice", "")).isEmpty();
    assertThat(info(STREAM).getRecordsList()).hasSize(1);
    assertThat(nextEvent()).contains("join");
    assertThat(leave("s1")).isEmpty();
    assertThat(leave("s2")).isEmpty();
    assertThat(nextEvent()).contains("leave");
  }

  @Test
  void hazelcastNeedsAClusteredVertxAndUnknownBackendsAreRefused() {
    assertThatThrownBy(() -> deploy(new JsonObject().put("broker", "hazelcast"))).hasMessageContaining("clustered Vert.x");
    assertThatThrownBy(() -> deploy(new JsonObject().put("broker", "memory").put("presence_ttl", 0)))
        .hasMessageContaining("presence_ttl");
  }
}
