package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.hazelcast.config.Config;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.RemoteDisconnect;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.HazelcastClusters;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two Hazelcast-clustered Vert.x nodes in one JVM: bus messages cross in their binary form. */
class ClusteredBusTest {

  Vertx a;
  Vertx b;

  @BeforeEach
  void formCluster() throws Exception {
    List<Config> configs = HazelcastClusters.configs(2);
    a = HazelcastClusters.node(configs.get(0));
    b = HazelcastClusters.node(configs.get(1));
    BusCodecs.ensureRegistered(a);
    BusCodecs.ensureRegistered(b);
  }

  @AfterEach
  void leave() throws Exception {
    b.close().await(30, TimeUnit.SECONDS);
    a.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aBroadcastPublishedOnOneNodeReachesAShardConsumerOnAnother() throws Exception {
    Promise<StreamBroadcast> got = Promise.promise();
    MessageConsumer<StreamBroadcast> c = b.eventBus().consumer(Addresses.broadcastAddress("chat/1"), m -> got.tryComplete(m.body()));
    c.completion().await(20, TimeUnit.SECONDS);
    StreamBroadcast sent = StreamBroadcast.newBuilder().setStream("chat/1")
        .setMessage(ByteString.copyFromUtf8("{\"text\":\"héllo\"}")).setExcludeSocket("sid-1").setTransient(true)
        .setEpoch("ep").setOffset(42).build();
    // The registration may take a moment to reach node A's view of the registry: publish until it lands.
    long timer = a.setPeriodic(100, id -> a.eventBus().publish(Addresses.broadcastAddress("chat/1"), sent));
    StreamBroadcast received = got.future().await(30, TimeUnit.SECONDS);
    a.cancelTimer(timer);
    assertThat(received).isEqualTo(sent).isNotSameAs(sent);
  }

  @Test
  void aRemoteCommandCrossesTheClusterIntact() throws Exception {
    Promise<RemoteCommand> got = Promise.promise();
    MessageConsumer<RemoteCommand> c = b.eventBus().consumer(Addresses.EVENTS_COMMAND, m -> got.tryComplete(m.body()));
    c.completion().await(20, TimeUnit.SECONDS);
    RemoteCommand sent = RemoteCommand.newBuilder()
        .setDisconnect(RemoteDisconnect.newBuilder().setIdentifiers("{\"uid\":\"26\"}").setReconnect(true)).build();
    long timer = a.setPeriodic(100, id -> a.eventBus().publish(Addresses.EVENTS_COMMAND, sent));
    RemoteCommand received = got.future().await(30, TimeUnit.SECONDS);
    a.cancelTimer(timer);
    assertThat(received).isEqualTo(sent);
  }

  @Test
  void inOneProcessTheSameObjectIsDelivered() throws Exception {
    Promise<StreamBroadcast> got = Promise.promise();
    a.eventBus().<StreamBroadcast>localConsumer("local.check", m -> got.complete(m.body()));
    StreamBroadcast sent = StreamBroadcast.newBuilder().setStream("s").build();
    a.eventBus().send("local.check", sent);
    assertThat(got.future().await(10, TimeUnit.SECONDS)).isSameAs(sent);
  }
}
