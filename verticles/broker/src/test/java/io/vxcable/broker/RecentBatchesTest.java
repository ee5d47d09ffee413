package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vxcable.contracts.bus.PublishAck;
import io.vxcable.contracts.bus.PublishBatchAck;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentBatchesTest {

  long now = 1_000;
  final RecentBatches recent = new RecentBatches(3, 60_000, () -> now);
  final AtomicInteger stores = new AtomicInteger();

  Future<PublishBatchAck> store() {
    stores.incrementAndGet();
    return Future.succeededFuture(PublishBatchAck.newBuilder().addAcks(PublishAck.newBuilder().setOffset(stores.get())).build());
  }

  @Test
  void aRetriedBatchGetsTheFirstOutcomeAndIsStoredOnce() {
    PublishBatchAck first = recent.once("a", this::store).result();
    PublishBatchAck again = recent.once("a", this::store).result();
    assertThat(again).isEqualTo(first);
    assertThat(stores).hasValue(1);
  }

  @Test
  void aRetryWhileTheFirstIsBeingStoredJoinsIt() {
    Promise<PublishBatchAck> slow = Promise.promise();
    Future<PublishBatchAck> first = recent.once("a", () -> {
      stores.incrementAndGet();
      return slow.future();
    });
    Future<PublishBatchAck> retry = recent.once("a", this::store);
    assertThat(retry.isComplete()).isFalse();
    slow.complete(PublishBatchAck.getDefaultInstance());
    assertThat(retry.result()).isSameAs(first.result());
    assertThat(stores).hasValue(1);
  }

  @Test
  void aFailedBatchIsForgottenSoItsRetryIsStored() {
    recent.once("a", () -> Future.failedFuture("broker down"));
    assertThat(recent.once("a", this::store).succeeded()).isTrue();
    assertThat(stores).hasValue(1);
  }

  @Test
  void batchesWithoutAnIdAreNeverRemembered() {
    recent.once("", this::store);
    recent.once("", this::store);
    assertThat(stores).hasValue(2);
    assertThat(recent.size()).isZero();
  }

  @Test
  void theMemoryIsBoundedInCountAndAge() {
    for (String id : new String[] {"a", "b", "c", "d", "e"}) {
      recent.once(id, this::store);
    }
    assertThat(recent.size()).isLessThanOrEqualTo(4);
    now += 60_001;
    recent.once("f", this::store);
    assertThat(recent.size()).isEqualTo(1);
    recent.once("a", this::store);
    assertThat(stores).as("an old id is stored again").hasValue(7);
  }
}
