package io.vxcable.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.Env;
import io.vxcable.contracts.rpc.Status;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The example answers real gRPC calls the way vxcable makes them. */
class ChatAppTest {

  static final ServiceName RPC = ServiceName.create("anycable.RPC");
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void connectIdentifiesUsersAndTheChannelStreamsTheRoom() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ChatApp.start(vertx, port, "http://127.0.0.1:1/_broadcast").await(10, TimeUnit.SECONDS);
    GrpcClient client = GrpcClient.client(vertx);
    SocketAddress at = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    ConnectionResponse ok = client.request(at, ServiceMethod.client(RPC, "Connect", GrpcMessageEncoder.<ConnectionRequest>encoder(),
            GrpcMessageDecoder.<ConnectionResponse>decoder(ConnectionResponse.getDefaultInstance())))
        .compose(req -> {
          req.headers().set("sid", "s1");
          return req.send(ConnectionRequest.newBuilder().setEnv(Env.newBuilder().setUrl("http://x/cable?user=ann")).build());
        }).compose(r -> r.last()).await(10, TimeUnit.SECONDS);
    assertThat(ok.getStatus()).isEqualTo(Status.SUCCESS);
    assertThat(ok.getIdentifiers()).isEqualTo("{\"user\":\"ann\"}");
    assertThat(ok.getTransmissions(0)).isEqualTo("{\"type\":\"welcome\",\"sid\":\"s1\"}");
    assertThat(ChatApp.connect(ConnectionRequest.newBuilder().setEnv(Env.newBuilder().setUrl("http://x/cable")).build(), "s")
        .getStatus()).isEqualTo(Status.FAILURE);

    String identifier = new JsonObject().put("channel", "ChatChannel").put("room", "42").encode();
    CommandResponse sub = client.request(at, ServiceMethod.client(RPC, "Command", GrpcMessageEncoder.<CommandMessage>encoder(),
            GrpcMessageDecoder.<CommandResponse>decoder(CommandResponse.getDefaultInstance())))
        .compose(req -> req.send(CommandMessage.newBuilder().setCommand("subscribe").setIdentifier(identifier)
            .setConnectionIdentifiers(ok.getIdentifiers()).build()))
        .compose(r -> r.last()).await(10, TimeUnit.SECONDS);
    assertThat(sub.getStreamsList()).containsExactly("chat:42");
    assertThat(sub.getEnv().getIstateMap()).containsEntry("$w", "chat:42").containsEntry("$p", "chat:42").containsKey("joined_at");
    assertThat(sub.getTransmissions(0)).contains("confirm_subscription");
  }
}
