package io.vxcable.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureReportTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final FailureReport report = new FailureReport("grpc", "localhost:50051", now::get);

  private static RpcException refused() {
    return new RpcException(RpcStatus.UNAVAILABLE, "Connection refused: localhost/127.0.0.1:50051");
  }

  @Test
  void theFirstFailureIsToldAtOnceWithTheCauseAndTheFlag() {
    assertThat(report.failed(refused())).isEqualTo("RPC calls to localhost:50051 (grpc) fail: UNAVAILABLE: Connection refused: "
        + "localhost/127.0.0.1:50051 (1 call); is the application running there? Set --rpc_host, or run without an "
        + "application (--public, or --jwt_secret with signed streams)");
  }

  @Test
  void laterFailuresAreCountedIntoOneLineEveryTenSeconds() {
    report.failed(refused());
    for (int i = 0; i < 41; i++) {
      now.addAndGet(200);
      assertThat(report.failed(refused())).isNull();
    }
    now.addAndGet(2_000);
    assertThat(report.failed(refused())).contains("(42 calls in the last 10 s)");
  }

  @Test
  void failuresTheOperatorCannotFixAreNotWarnedAbout() {
    assertThat(report.failed(new RpcException(RpcStatus.INTERNAL, "undefined method"))).isNull();
    assertThat(report.failed(new RpcException(RpcStatus.UNAUTHENTICATED, "401"))).contains("check --http_rpc_secret");
  }
}
