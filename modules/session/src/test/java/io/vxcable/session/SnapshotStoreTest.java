package io.vxcable.session;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.SessionSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session snapshots reach a broker even when the first send finds none (a broker node that was
 * just leaving), and a snapshot superseded meanwhile is not sent again over the newer one.
 */
class SnapshotStoreTest {

  Vertx vertx;
  Context context;
  final List<String> stored = new CopyOnWriteArrayList<>();
  final AtomicInteger sends = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    context = vertx.getOrCreateContext();
    // The first snapshot finds no broker, on this node (first) or in the cluster (then); the
    // broker appears right after (as when a leaving broker's consumer is gone and the next one is
    // already known).
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      boolean first = ctx.message().address().equals(Addresses.BROKER_SESSION_COMMIT) && sends.incrementAndGet() == 2;
      ctx.next();
      if (first) {
        vertx.eventBus().<SessionSnapshot>consumer(Addresses.BROKER_SESSION_COMMIT, m -> {
          stored.add(m.body().getState().toStringUtf8());
          m.reply(null);
        });
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static SessionSnapshot snapshot(String state) {
    return SessionSnapshot.newBuilder().setSid("sid-1").setState(ByteString.copyFromUtf8(state)).build();
  }

  @Test
  void aSnapshotThatFoundNoBrokerIsSentAgain() {
    BrokerClient client = new BrokerClient(vertx.eventBus());
    context.runOnContext(v -> client.store(snapshot("v1"), () -> true, 1));
    eventually(() -> assertThat(stored).containsExactly("v1"));
    assertThat(sends.get()).as("locally, in the cluster, then again").isEqualTo(3);
  }

  @Test
  void aSnapshotSupersededMeanwhileIsNotSentAgain() {
    BrokerClient client = new BrokerClient(vertx.eventBus());
    context.runOnContext(v -> {
      client.store(snapshot("v1"), () -> false, 1);
      client.store(snapshot("v2"), () -> true, 1);
    });
    eventually(() -> assertThat(stored).containsExactly("v2"));
    assertThat(sends.get()).as("v1 locally and in the cluster, v2 once").isEqualTo(3);
  }
}
