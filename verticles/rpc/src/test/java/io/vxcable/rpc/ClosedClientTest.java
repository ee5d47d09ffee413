package io.vxcable.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;
import io.vxcable.testkit.FreePorts;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call that reaches a client after it was closed (the bridge stopping while a session still
 * disconnects) fails its future as an unreachable application does, instead of throwing into the
 * caller's context.
 */
class ClosedClientTest {

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  RpcOptions options(String impl) {
    JsonObject s = new JsonObject().put("rpc_host", impl.equals("http") ? "http://127.0.0.1:" + FreePorts.next() + "/_anycable"
            : "127.0.0.1:" + FreePorts.next())
        .put("rpc_impl", impl).put("norpc", false)
        .put("rpc_concurrency", 28).put("rpc_concurrency_initial", 25).put("rpc_concurrency_min", 5)
        .put("rpc_concurrency_max", 100).put("rpc_request_timeout", 0).put("rpc_command_timeout", 3000)
        .put("http_rpc_timeout", 0).put("http_rpc_secret", "").put("rpc_max_call_recv_size", 0)
        .put("rpc_max_call_send_size", 0).put("rpc_enable_tls", false).put("rpc_tls_verify", true).put("rpc_tls_root_ca", "")
        .put("disconnect_rate", 100).put("disconnect_backlog_size", 4096).put("shutdown_timeout", 5);
    return RpcOptions.from(Settings.of(s));
  }

  void assertFailsAsUnavailable(AppClient client) throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    Future<DisconnectResponse> call = client.disconnect("sid-1", DisconnectRequest.getDefaultInstance(), 1000);
    Throwable failure = call.map(r -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(RpcException.class).hasMessageContaining("closed");
    assertThat(((RpcException) failure).status()).isEqualTo(RpcStatus.UNAVAILABLE);
  }

  @Test
  void aGrpcCallAfterCloseFails() throws Exception {
    RpcOptions o = options("grpc");
    assertFailsAsUnavailable(new GrpcAppClient(vertx, o, RpcTargets.parse(o.host())));
  }

  @Test
  void anHttpCallAfterCloseFails() throws Exception {
    assertFailsAsUnavailable(new HttpAppClient(vertx, options("http")));
  }
}
