package io.vxcable.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.PresenceChangeReply;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceJoin;
import io.vxcable.contracts.bus.PresenceLeave;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.HazelcastClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clustered Vert.x nodes in this JVM, each with a hazelcast presence verticle: requests from
 * either node reach one shared presence, and events reach a subscriber on either node.
 */
class PresenceVerticleClusterTest {

  static final String STREAM = "room/7";
  volatile long now = 1_700_000_000_000L;
  final List<Vertx> nodes = new ArrayList<>();
  final BlockingQueue<StreamBroadcast> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void cluster() throws Exception {
    for (var config : HazelcastClusters.configs(2)) {
      Vertx v = HazelcastClusters.node(config);
      BusCodecs.ensureRegistered(v);
      nodes.add(v);
    }
    JsonObject conf = new JsonObject().put("broker", "hazelcast").put("presence_ttl", 15);
    for (Vertx v : nodes) {
      v.deployVerticle(new PresenceVerticle(() -> now), new DeploymentOptions().setConfig(conf)).await(60, TimeUnit.SECONDS);
    }
    nodes.get(1).eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress(STREAM), m -> {
      if (m.body().getStream().equals(STREAM)) {
        events.add(m.body());
      }
    }).completion().await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void leave() throws Exception {
    for (Vertx v : nodes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  String join(Vertx from, String sid, String id) throws Exception {
    PresenceJoin j = PresenceJoin.newBuilder().setStream(STREAM).setSid(sid).setId(id).setInfo(ByteString.copyFromUtf8("{}")).build();
    return from.eventBus().<PresenceChangeReply>request(Addresses.PRESENCE_JOIN, j).await(20, TimeUnit.SECONDS).body().getError();
  }

  String leave(Vertx from, String sid) throws Exception {
    PresenceLeave l = PresenceLeave.newBuilder().setStream(STREAM).setSid(sid).build();
    return from.eventBus().<PresenceChangeReply>request(Addresses.PRESENCE_LEAVE, l).await(20, TimeUnit.SECONDS).body().getError();
  }

  String nextEvent() throws Exception {
    StreamBroadcast b = events.poll(20, TimeUnit.SECONDS);
    assertThat(b).as("a presence event").isNotNull();
    assertThat(b.getBroadcastType()).isEqualTo("presence");
    assertThat(b.getTransient()).isTrue();
    return b.getMessage().toStringUtf8();
  }

  @Test
  void bothNodesServeOnePresenceAndSweepIt() throws Exception {
    Vertx a = nodes.get(0);
    Vertx b = nodes.get(1);
    for (int i = 0; i < 4; i++) {
      assertThat(join(i % 2 == 0 ? a : b, "s" + i, "alice")).isEmpty();
    }
    assertThat(nextEvent()).isEqualTo("{\"id\":\"alice\",\"info\":{},\"type\":\"join\"}");
    assertThat(join(b, "s0", "bob")).isEqualTo("presence ID mismatch");
    PresenceInfoReply info = b.eventBus().<PresenceInfoReply>request(Addresses.PRESENCE_INFO,
        PresenceInfoRequest.newBuilder().setStream(STREAM).build()).await(20, TimeUnit.SECONDS).body();
    assertThat(info.getKnown()).isTrue();
    assertThat(info.getRecordsList()).extracting(PresenceRecord::getId).containsExactly("alice");
    for (int i = 0; i < 4; i++) {
      assertThat(leave(i % 2 == 0 ? b : a, "s" + i)).isEmpty();
    }
    assertThat(nextEvent()).isEqualTo("{\"id\":\"alice\",\"type\":\"leave\"}");

    assertThat(join(a, "s9", "carol")).isEmpty();
    assertThat(nextEvent()).contains("carol", "join");
    now += 16_000;
    assertThat(nextEvent()).isEqualTo("{\"id\":\"carol\",\"type\":\"leave\"}");
  }
}
