package io.vxcable.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;
import io.vxcable.contracts.rpc.Env;
import io.vxcable.contracts.rpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridge against a real gRPC application server (vertx-grpc-server) and a real HTTP one. */
class RpcVerticleTest {

  static final ServiceName RPC = ServiceName.create("anycable.RPC");

  Vertx vertx;
  int appPort;
  final List<String> seenSids = Collections.synchronizedList(new ArrayList<>());
  final List<String> seenProtov = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger connectAttempts = new AtomicInteger();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  final List<DisconnectRequest> disconnects = Collections.synchronizedList(new ArrayList<>());
  /** How the fake application answers Connect: the first {@code unavailable} attempts fail. */
  volatile int unavailable;
  volatile boolean unauthenticated;
  volatile long commandDelayMs;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    appPort = io.vxcable.testkit.FreePorts.next();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  void startGrpcApp() throws Exception {
    startGrpcApp(new io.vertx.core.http.HttpServerOptions());
  }

  static String tlsFile(String name) {
    return java.nio.file.Path.of("src/test/resources/tls", name).toAbsolutePath().toString();
  }

  static io.vertx.core.http.HttpServerOptions tlsServer() {
    return new io.vertx.core.http.HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(tlsFile("cert.pem")).setKeyPath(tlsFile("key.pem")));
  }

  void startGrpcApp(io.vertx.core.http.HttpServerOptions serverOptions) throws Exception {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ServiceMethod.server(RPC, "Connect", GrpcMessageEncoder.<ConnectionResponse>encoder(),
        GrpcMessageDecoder.<ConnectionRequest>decoder(ConnectionRequest.getDefaultInstance())), req -> req.handler(msg -> {
          seenSids.add(req.headers().get("sid"));
          seenProtov.add(req.headers().get("protov"));
          if (connectAttempts.incrementAndGet() <= unavailable) {
            req.response().status(GrpcStatus.UNAVAILABLE).end();
          } else if (unauthenticated) {
            req.response().status(GrpcStatus.UNAUTHENTICATED).end();
          } else {
            req.response().end(ConnectionResponse.newBuilder().setStatus(Status.SUCCESS).setIdentifiers("{\"uid\":\"7\"}")
                .addTransmissions("{\"type\":\"welcome\",\"sid\":\"" + req.headers().get("sid") + "\"}")
                .build());
          }
        }));
    grpc.callHandler(ServiceMethod.server(RPC, "Command", GrpcMessageEncoder.<CommandResponse>encoder(),
        GrpcMessageDecoder.<CommandMessage>decoder(CommandMessage.getDefaultInstance())), req -> req.handler(msg -> {
          int now = concurrent.incrementAndGet();
          maxConcurrent.accumulateAndGet(now, Math::max);
          vertx.setTimer(Math.max(1, commandDelayMs), id -> {
            concurrent.decrementAndGet();
            req.response().end(CommandResponse.newBuilder().setStatus(Status.SUCCESS).addStreams("room:" + msg.getIdentifier())
                .addTransmissions("{\"identifier\":\"" + msg.getIdentifier() + "\",\"type\":\"confirm_subscription\"}")
                .build());
          });
        }));
    grpc.callHandler(ServiceMethod.server(RPC, "Disconnect", GrpcMessageEncoder.<DisconnectResponse>encoder(),
        GrpcMessageDecoder.<DisconnectRequest>decoder(DisconnectRequest.getDefaultInstance())), req -> req.handler(msg -> {
          disconnects.add(msg);
          req.response().end(DisconnectResponse.newBuilder().setStatus(Status.SUCCESS).build());
        }));
    HttpServer server = vertx.createHttpServer(serverOptions).requestHandler(grpc);
    server.listen(appPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  String deployBridge(JsonObject overrides) throws Exception {
    return vertx.deployVerticle(new RpcVerticle(), new DeploymentOptions().setConfig(bridgeSettings(overrides)))
        .await(20, TimeUnit.SECONDS);
  }

  /** A complete resolved configuration for the bridge, pointing at the fake application. */
  JsonObject bridgeSettings(JsonObject overrides) {
    JsonObject s = new JsonObject().put("rpc_host", "127.0.0.1:" + appPort).put("rpc_impl", "").put("norpc", false)
        .put("rpc_concurrency", 28).put("rpc_concurrency_initial", 25).put("rpc_concurrency_min", 5)
        .put("rpc_concurrency_max", 100).put("rpc_request_timeout", 0).put("rpc_command_timeout", 3000)
        .put("http_rpc_timeout", 0).put("http_rpc_secret", "").put("rpc_max_call_recv_size", 0)
        .put("rpc_max_call_send_size", 0).put("rpc_enable_tls", false).put("rpc_tls_verify", true).put("rpc_tls_root_ca", "")
        .put("disconnect_rate", 100).put("disconnect_backlog_size", 4096)
        .put("shutdown_timeout", 5).mergeIn(overrides);
    return Settings.of(s).toJson();
  }

  <T> Future<T> request(String address, Object body, String sid) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().addHeader(Addresses.HEADER_SID, sid)
        .setSendTimeout(10_000)).map(io.vertx.core.eventbus.Message::body);
  }

  static ConnectionRequest connectRequest() {
    return ConnectionRequest.newBuilder().setEnv(Env.newBuilder().setUrl("http://localhost/cable?x=1")
        .putHeaders("cookie", "a=1").putHeaders("REMOTE_ADDR", "127.0.0.1")).build();
  }

  @Test
  void connectGoesToTheApplicationWithSidAndProtocolMetadata() throws Exception {
    startGrpcApp();
    deployBridge(new JsonObject());
    ConnectionResponse r = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "sid-1")
        .await(10, TimeUnit.SECONDS);
    assertThat(r.getStatus()).isEqualTo(Status.SUCCESS);
    assertThat(r.getIdentifiers()).isEqualTo("{\"uid\":\"7\"}");
    assertThat(r.getTransmissionsList()).containsExactly("{\"type\":\"welcome\",\"sid\":\"sid-1\"}");
    assertThat(seenSids).containsExactly("sid-1");
    assertThat(seenProtov).containsExactly("v1");
  }

  @Test
  void unavailableIsRetriedWithBackoffAndUnauthenticatedIsNot() throws Exception {
    startGrpcApp();
    deployBridge(new JsonObject());
    unavailable = 2;
    ConnectionResponse r = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "s")
        .await(10, TimeUnit.SECONDS);
    assertThat(r.getStatus()).isEqualTo(Status.SUCCESS);
    assertThat(connectAttempts.get()).isEqualTo(3);
    unauthenticated = true;
    Throwable failed = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "s")
        .map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(failed).isInstanceOf(ReplyException.class);
    assertThat(connectAttempts.get()).isEqualTo(4);
  }

  @Test
  void callsRetriesAndErrorsAreReportedAsAnycableMetrics() throws Exception {
    startGrpcApp();
    deployBridge(new JsonObject().put("metrics_log", true).put("rpc_concurrency", 3));
    io.vxcable.observability.MicrometerMetrics m = (io.vxcable.observability.MicrometerMetrics)
        io.vxcable.observability.Metrics.of(vertx);
    assertThat(m.value("rpc_capacity_num")).isEqualTo(3);
    unavailable = 2;
    this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "s").await(10, TimeUnit.SECONDS);
    unauthenticated = true;
    this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "s").otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertThat(m.value("rpc_call_total")).isEqualTo(2);
    assertThat(m.value("rpc_retries_total")).isEqualTo(2);
    assertThat(m.value("rpc_error_total")).isEqualTo(1);
    assertThat(m.value("rpc_timeout_total")).isZero();
    assertThat(m.value("rpc_pending_num")).isZero();
  }

  @Test
  void aDeadApplicationFailsWithinTheCommandBudget() throws Exception {
    deployBridge(new JsonObject().put("rpc_command_timeout", 800));
    long start = System.nanoTime();
    Throwable failed = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "s")
        .map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(failed).isInstanceOf(ReplyException.class).hasMessageContaining("UNAVAILABLE");
    assertThat(tookMs).as("bounded by the command timeout, not hanging").isLessThan(5_000);
  }

  @Test
  void theConcurrencyLimitCapsCallsInFlight() throws Exception {
    startGrpcApp();
    deployBridge(new JsonObject().put("rpc_concurrency", 2));
    commandDelayMs = 100;
    List<Future<CommandResponse>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(request(Addresses.RPC_COMMAND, CommandMessage.newBuilder().setCommand("subscribe")
          .setIdentifier("c" + i).build(), "s" + i));
    }
    Future.all(all).await(20, TimeUnit.SECONDS);
    assertThat(maxConcurrent.get()).isEqualTo(2);
    assertThat(all.get(5).result().getStreamsList()).containsExactly("room:c5");
  }

  @Test
  void disconnectsAreQueuedAndFlushedOnShutdown() throws Exception {
    startGrpcApp();
    String id = deployBridge(new JsonObject().put("disconnect_rate", 1));
    for (int i = 0; i < 5; i++) {
      vertx.eventBus().send(Addresses.RPC_DISCONNECT, DisconnectRequest.newBuilder().setIdentifiers("{\"uid\":\"" + i + "\"}")
          .addSubscriptions("{\"channel\":\"Chat\"}").build(), new DeliveryOptions().addHeader(Addresses.HEADER_SID, "s" + i));
    }
    vertx.undeploy(id).await(20, TimeUnit.SECONDS);
    assertThat(disconnects).hasSize(5);
    assertThat(disconnects).extracting(DisconnectRequest::getIdentifiers).contains("{\"uid\":\"4\"}");
  }

  @Test
  void httpRpcPostsSnakeCaseJsonWithBearerAndMapsStatuses() throws Exception {
    List<JsonObject> bodies = Collections.synchronizedList(new ArrayList<>());
    List<String> auth = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> listening = Promise.promise();
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      auth.add(req.getHeader("Authorization") + "|" + req.getHeader("x-anycable-meta-sid") + "|" + req.path());
      bodies.add(b.toJsonObject());
      if (req.path().endsWith("/command")) {
        req.response().setStatusCode(422).end("bad command");
        return;
      }
      req.response().putHeader("Content-Type", "application/json")
          .end("{\"status\":1,\"identifiers\":\"{\\\"uid\\\":\\\"9\\\"}\",\"transmissions\":[\"hi\"],\"extra\":true}");
    })).listen(appPort, "127.0.0.1").onComplete(ar -> listening.complete());
    listening.future().await(10, TimeUnit.SECONDS);
    deployBridge(new JsonObject().put("rpc_host", "http://127.0.0.1:" + appPort + "/_anycable").put("http_rpc_secret", "rpc-s3cr3t"));
    ConnectionResponse r = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "sid-h")
        .await(10, TimeUnit.SECONDS);
    assertThat(r.getStatus()).isEqualTo(Status.SUCCESS);
    assertThat(r.getIdentifiers()).isEqualTo("{\"uid\":\"9\"}");
    assertThat(auth.get(0)).isEqualTo("Bearer rpc-s3cr3t|sid-h|/_anycable/connect");
    assertThat(bodies.get(0).getJsonObject("env").getJsonObject("headers").getString("REMOTE_ADDR")).isEqualTo("127.0.0.1");
    assertThat(bodies.get(0).getJsonObject("env").getString("url")).isEqualTo("http://localhost/cable?x=1");
    Throwable failed = this.<CommandResponse>request(Addresses.RPC_COMMAND, CommandMessage.newBuilder().setCommand("message")
        .setIdentifier("x").setConnectionIdentifiers("{}").build(), "sid-h")
        .map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(failed).hasMessageContaining("INVALID_ARGUMENT");
    assertThat(bodies.get(1).getString("connection_identifiers")).isEqualTo("{}");
    assertThat(bodies.get(1).containsKey("data")).as("empty fields are omitted").isFalse();
  }

  @Test
  void grpcOverTlsTrustsTheConfiguredRootAndRefusesAnUnknownCertificate() throws Exception {
    startGrpcApp(tlsServer());
    deployBridge(new JsonObject().put("rpc_enable_tls", true).put("rpc_tls_root_ca", tlsFile("cert.pem")));
    ConnectionResponse r = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "tls-1")
        .await(10, TimeUnit.SECONDS);
    assertThat(r.getStatus()).isEqualTo(Status.SUCCESS);
    assertThat(seenSids).containsExactly("tls-1");
  }

  @Test
  void anUntrustedCertificateFailsUnlessVerificationIsOff() throws Exception {
    startGrpcApp(tlsServer());
    String verifying = deployBridge(new JsonObject().put("rpc_enable_tls", true).put("rpc_command_timeout", 500));
    Throwable refused = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "x")
        .map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(seenSids).isEmpty();
    vertx.undeploy(verifying).await(10, TimeUnit.SECONDS);
    deployBridge(new JsonObject().put("rpc_enable_tls", true).put("rpc_tls_verify", false));
    ConnectionResponse r = this.<ConnectionResponse>request(Addresses.RPC_CONNECT, connectRequest(), "y")
        .await(10, TimeUnit.SECONDS);
    assertThat(r.getStatus()).isEqualTo(Status.SUCCESS);
  }

  @Test
  void severalInstancesShareTheLoadEachWithItsOwnLimit() throws Exception {
    startGrpcApp();
    vertx.deployVerticle(RpcVerticle.class.getName(), new DeploymentOptions()
            .setConfig(bridgeSettings(new JsonObject().put("rpc_concurrency", 1).put("rpc_command_timeout", 5000)))
            .setInstances(2))
        .await(20, TimeUnit.SECONDS);
    commandDelayMs = 150;
    List<Future<CommandResponse>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(request(Addresses.RPC_COMMAND, CommandMessage.newBuilder().setCommand("subscribe").setIdentifier("c" + i).build(), "s"));
    }
    Future.all(all).await(20, TimeUnit.SECONDS);
    assertThat(maxConcurrent.get()).as("two instances, one call each").isEqualTo(2);
  }

  @Test
  void aRequestOverTheSendLimitFailsWithoutReachingTheApplication() throws Exception {
    startGrpcApp();
    deployBridge(new JsonObject().put("rpc_max_call_send_size", 64));
    Throwable failed = this.<CommandResponse>request(Addresses.RPC_COMMAND, CommandMessage.newBuilder().setCommand("message")
            .setIdentifier("x").setData("y".repeat(200)).build(), "s")
        .map(x -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
    assertThat(failed).hasMessageContaining("rpc_max_call_send_size");
    assertThat(maxConcurrent.get()).isZero();
  }
}
