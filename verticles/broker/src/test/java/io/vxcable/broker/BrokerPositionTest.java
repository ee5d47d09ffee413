package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.PublishBatch;
import io.vxcable.contracts.bus.PublishBatchAck;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.bus.StreamPositionReply;
import io.vxcable.contracts.bus.StreamPositionRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A memory broker verticle answers {@code cable.broker.position} over the bus with its epoch and a
 * stream's last offset (the hazelcast verticle is asked in {@link BrokerClusterTest}).
 */
class BrokerPositionTest {

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  StreamPositionReply position(String stream) throws Exception {
    return vertx.eventBus().<StreamPositionReply>request(Addresses.BROKER_POSITION,
        StreamPositionRequest.newBuilder().setStream(stream).build()).await(10, TimeUnit.SECONDS).body();
  }

  PublishBatchAck publish(String stream, String data) throws Exception {
    StreamBroadcast b = StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(data)).build();
    return vertx.eventBus().<PublishBatchAck>request(Addresses.brokerPublishAddress(stream),
        PublishBatch.newBuilder().addBroadcasts(b).build(), new DeliveryOptions().setSendTimeout(5000))
        .await(10, TimeUnit.SECONDS).body();
  }

  @Test
  void aMemoryBrokerTellsTheEpochAndTheLastOffsetOfAStream() throws Exception {
    BusCodecs.ensureRegistered(vertx);
    JsonObject conf = new JsonObject().put("broker", "memory").put("history_limit", 2).put("history_ttl", 300)
        .put("sessions_ttl", 300);
    vertx.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(conf)).await(20, TimeUnit.SECONDS);

    StreamPositionReply empty = position("room/1");
    assertThat(empty.getOffset()).isZero();
    assertThat(empty.getEpoch()).hasSize(4);
    publish("room/1", "\"a\"");
    publish("room/1", "\"b\"");
    String epoch = publish("room/1", "\"c\"").getAcks(0).getEpoch();
    StreamPositionReply tail = position("room/1");
    assertThat(tail.getEpoch()).isEqualTo(epoch).isEqualTo(empty.getEpoch());
    assertThat(tail.getOffset()).isEqualTo(3);
    assertThat(position("room/2").getOffset()).isZero();
  }

  @Test
  void withoutABackendNobodyAnswers() throws Exception {
    BusCodecs.ensureRegistered(vertx);
    vertx.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("broker", "")))
        .await(20, TimeUnit.SECONDS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> position("room/1"))
        .hasMessageContaining("No handlers");
  }
}
