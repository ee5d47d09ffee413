package io.vxcable.broadcast;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.PublishAck;
import io.vxcable.contracts.bus.PublishBatch;
import io.vxcable.contracts.bus.PublishBatchAck;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The intake's side of publishing to a broker shard, against a real (local) event bus. */
class BrokerPublisherTest {

  Vertx vertx;
  Context context;
  /** What the stand-in broker took, one list of messages per request. */
  final List<List<String>> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static StreamBroadcast broadcast(String stream, String message) {
    return StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(message)).build();
  }

  /** Runs {@code step} on the publisher's event loop and returns what it returned. */
  <T> T onContext(Supplier<T> step) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> out.complete(step.get()));
    return out.get(10, TimeUnit.SECONDS);
  }

  /** A broker for {@code stream}'s shard that records each request and answers it at once. */
  void broker(String stream) {
    vertx.eventBus().<PublishBatch>consumer(Addresses.brokerPublish(Addresses.shardOf(stream)), m -> {
      record(m);
      answer(m);
    });
  }

  void record(Message<PublishBatch> m) {
    requests.add(m.body().getBroadcastsList().stream().map(b -> b.getMessage().toStringUtf8()).toList());
  }

  static void answer(Message<PublishBatch> m) {
    PublishBatchAck.Builder ack = PublishBatchAck.newBuilder();
    for (int i = 0; i < m.body().getBroadcastsCount(); i++) {
      ack.addAcks(PublishAck.newBuilder().setEpoch("e").setOffset(i + 1));
    }
    m.reply(ack.build());
  }

  /**
   * A broker for {@code stream}'s shard that refuses requests (as one whose store is unavailable)
   * while {@code refusing} holds, and records and answers the others.
   */
  List<PublishBatch> refusingBroker(String stream, java.util.function.BooleanSupplier refusing) {
    List<PublishBatch> refused = new CopyOnWriteArrayList<>();
    vertx.eventBus().<PublishBatch>consumer(Addresses.brokerPublish(Addresses.shardOf(stream)), m -> {
      if (refusing.getAsBoolean()) {
        refused.add(m.body());
        m.fail(500, "store unavailable");
      } else {
        record(m);
        answer(m);
      }
    });
    return refused;
  }

  @Test
  void aPublicationWaitsBehindAnEarlierOneOfItsShardThatIsBeingRetried() throws Exception {
    AtomicBoolean refusing = new AtomicBoolean(true);
    List<PublishBatch> refused = refusingBroker("s", refusing::get);
    BrokerPublisher publisher = new BrokerPublisher(vertx, System::currentTimeMillis);
    Future<Void> first = onContext(() -> publisher.publish(List.of(broadcast("s", "1"))));
    eventually(() -> assertThat(refused).hasSize(1));
    // The broker takes requests again while the first waits for its retry: the second must not
    // be stored before it.
    refusing.set(false);
    Future<Void> second = onContext(() -> publisher.publish(List.of(broadcast("s", "2"))));
    eventually(() -> assertThat(first.succeeded() && second.succeeded()).as("both acknowledged").isTrue());
    assertThat(requests.stream().flatMap(List::stream).toList()).containsExactly("1", "2");
    assertThat(onContext(publisher::lanes)).isZero();
  }

  @Test
  void whatComesWhileARequestIsOutGoesInTheNextOneAndOtherShardsDoNotWait() throws Exception {
    String other = "t";
    for (int i = 0; Addresses.shardOf(other) == Addresses.shardOf("s"); i++) {
      other = "t" + i;
    }
    List<Message<PublishBatch>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().<PublishBatch>consumer(Addresses.brokerPublish(Addresses.shardOf("s")), m -> {
      record(m);
      held.add(m);
    }).completion().await(10, TimeUnit.SECONDS);
    broker(other);
    BrokerPublisher publisher = new BrokerPublisher(vertx, System::currentTimeMillis);
    String elsewhere = other;
    Future<Void> a = onContext(() -> publisher.publish(List.of(broadcast("s", "1"))));
    eventually(() -> assertThat(held).hasSize(1));
    Future<Void> b = onContext(() -> publisher.publish(List.of(broadcast("s", "2"), broadcast(elsewhere, "x"))));
    Future<Void> c = onContext(() -> publisher.publish(List.of(broadcast("s", "3"))));
    eventually(() -> assertThat(requests).contains(List.of("x")));
    assertThat(held).as("nothing more for the busy shard while its request is out").hasSize(1);
    assertThat(b.isComplete()).as("a request body waits for each of its shards").isFalse();

    answer(held.get(0));
    eventually(() -> assertThat(held).hasSize(2));
    assertThat(a.succeeded()).isTrue();
    answer(held.get(1));
    eventually(() -> assertThat(b.succeeded() && c.succeeded()).isTrue());
    assertThat(requests).containsExactly(List.of("1"), List.of("x"), List.of("2", "3"));
  }

  @Test
  void aRequestNotStoredByItsDeadlineFailsAndTheNextOneStillGoes() throws Exception {
    AtomicBoolean refusing = new AtomicBoolean(true);
    List<PublishBatch> refused = refusingBroker("s", refusing::get);
    AtomicLong clock = new AtomicLong();
    BrokerPublisher publisher = new BrokerPublisher(vertx, clock::get);
    Future<Void> late = onContext(() -> publisher.publish(List.of(broadcast("s", "1"))));
    eventually(() -> assertThat(refused).isNotEmpty());
    clock.set(BrokerPublisher.DEADLINE_MS + 1);
    Future<Void> next = onContext(() -> publisher.publish(List.of(broadcast("s", "2"))));
    eventually(() -> assertThat(late.failed()).as("the first fails once its deadline has passed").isTrue());
    refusing.set(false);
    eventually(() -> assertThat(next.succeeded()).as("the second is stored after it").isTrue());
    assertThat(requests).containsExactly(List.of("2"));
  }
}
