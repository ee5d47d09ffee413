package io.vxcable.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits and the breaker of the caller, with attempts the test completes by hand. */
class RpcCallerTest {

  final Vertx vertx = Vertx.vertx();
  final List<Promise<String>> attempts = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static RpcOptions options(int concurrency, int initial, int min, int max, int commandTimeout) {
    return new RpcOptions("127.0.0.1:1", "grpc", concurrency, initial, min, max, 0, commandTimeout, 3000, "", 0, 0, false, true, "");
  }

  Future<String> call(RpcCaller caller) {
    return caller.call(t -> {
      Promise<String> p = Promise.promise();
      attempts.add(p);
      return p.future();
    });
  }

  /** Runs on the caller's event loop and waits, as the verticle does. */
  <T> T onLoop(java.util.concurrent.Callable<T> action) throws Exception {
    Promise<T> done = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        done.complete(action.call());
      } catch (Exception e) {
        done.fail(e);
      }
    });
    return done.future().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFixedLimitQueuesTheRestInOrder() throws Exception {
    RpcCaller caller = onLoop(() -> new RpcCaller(vertx, options(2, 0, 0, 0, 3000)));
    List<Future<String>> results = onLoop(() -> List.of(call(caller), call(caller), call(caller)));
    assertThat(attempts).hasSize(2);
    assertThat(caller.pending()).isEqualTo(1);
    onLoop(() -> attempts.get(0).tryComplete("first"));
    assertThat(attempts).hasSize(3);
    assertThat(results.get(0).result()).isEqualTo("first");
  }

  Future<String> call(RpcCaller caller, String sid) {
    return caller.call(sid, t -> {
      Promise<String> p = Promise.promise();
      attempts.add(p);
      return p.future();
    });
  }

  @Test
  void aClosedSessionsWaitingCallsAreDroppedButItsRunningCallGoesOn() throws Exception {
    RpcCaller caller = onLoop(() -> new RpcCaller(vertx, options(1, 0, 0, 0, 3000)));
    List<Future<String>> results = onLoop(() -> List.of(call(caller, "a"), call(caller, "a"), call(caller, "b"),
        call(caller, "a")));
    assertThat(caller.pending()).isEqualTo(3);
    onLoop(() -> {
      caller.cancel("a");
      caller.cancel("unknown");
      return null;
    });
    assertThat(caller.canceled).isEqualTo(2);
    assertThat(caller.pending()).isEqualTo(1);
    assertThat(results.get(1).failed()).isTrue();
    assertThat(results.get(1).cause()).hasMessageContaining("session closed");
    assertThat(results.get(0).isComplete()).as("already running").isFalse();
    onLoop(() -> attempts.get(0).tryComplete("first"));
    // The slot goes to b's call, not to a's dropped ones.
    assertThat(attempts).hasSize(2);
    onLoop(() -> attempts.get(1).tryComplete("second"));
    assertThat(results.get(2).result()).isEqualTo("second");
    assertThat(results.get(3).failed()).isTrue();
    assertThat(caller.pending()).isZero();
    assertThat(caller.calls).isEqualTo(2);
  }

  @Test
  void anAdaptiveLimitShrinksOnResourceExhaustedAndGrowsWhileCallsWait() throws Exception {
    RpcCaller caller = onLoop(() -> new RpcCaller(vertx, options(0, 8, 2, 10, 60_000)));
    assertThat(caller.limit()).isEqualTo(8);
    onLoop(() -> {
      for (int i = 0; i < 12; i++) {
        call(caller);
      }
      return null;
    });
    assertThat(attempts).hasSize(8);
    onLoop(() -> attempts.get(0).tryFail(new RpcException(RpcStatus.RESOURCE_EXHAUSTED, "busy")));
    assertThat(caller.limit()).isEqualTo(6);
    onLoop(() -> attempts.get(1).tryComplete("ok"));
    assertThat(caller.limit()).as("a success while calls wait grows the limit").isEqualTo(7);
  }

  @Test
  void aDeadApplicationTripsTheBreakerAndLaterCallsFailFast() throws Exception {
    RpcCaller caller = onLoop(() -> new RpcCaller(vertx, options(28, 0, 0, 0, 50)));
    for (int i = 0; i < 10; i++) {
      Future<String> f = onLoop(() -> call(caller));
      onLoop(() -> attempts.get(attempts.size() - 1).tryFail(new RpcException(RpcStatus.UNAVAILABLE, "down")));
      f.otherwise("failed").await(10, TimeUnit.SECONDS);
    }
    assertThat(caller.breaker()).isEqualTo(CircuitBreaker.State.OPEN);
    int before = attempts.size();
    Throwable fast = onLoop(() -> call(caller)).map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(fast).isInstanceOf(RpcException.class).hasMessageContaining("circuit open");
    assertThat(attempts).as("no attempt reached the application").hasSize(before);
  }

  @Test
  void aCallThatWaitedPastItsBudgetNeverReachesTheApplication() throws Exception {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000);
    RpcCaller caller = onLoop(() -> new RpcCaller(vertx, options(1, 0, 0, 0, 200), clock::get));
    List<Future<String>> results = onLoop(() -> {
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) { // a storm's worth: failing them must not nest
        all.add(call(caller));
      }
      return all;
    });
    assertThat(attempts).hasSize(1);
    clock.addAndGet(300); // past the 200 ms budget of every call still waiting
    onLoop(() -> attempts.get(0).tryComplete("late"));
    Throwable second = results.get(1).map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(second).isInstanceOf(RpcException.class).hasMessageContaining("waiting for a free slot");
    assertThat(((RpcException) second).status()).isEqualTo(RpcStatus.DEADLINE_EXCEEDED);
    Future.join(results).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertThat(results).allSatisfy(f -> assertThat(f.isComplete()).isTrue());
    assertThat(results.stream().filter(Future::failed).count()).isEqualTo(results.size() - 1);
    assertThat(attempts).as("no expired call was made").hasSize(1);
  }
}
