package io.vxcable.rpc;

import com.google.protobuf.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code anycable.RPC} gRPC client (HTTP/2 cleartext), spreading calls round-robin over the
 * addresses of {@link RpcTargets}. No generated stubs: the three unary methods are declared here
 * over the messages of {@code proto/anycable/rpc.proto}.
 */
final class GrpcAppClient implements AppClient {

  private static final ServiceName SERVICE = ServiceName.create("anycable.RPC");
  private static final ServiceMethod<ConnectionResponse, ConnectionRequest> CONNECT = ServiceMethod.client(
      SERVICE, "Connect", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ConnectionResponse.getDefaultInstance()));
  private static final ServiceMethod<CommandResponse, CommandMessage> COMMAND = ServiceMethod.client(
      SERVICE, "Command", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(CommandResponse.getDefaultInstance()));
  private static final ServiceMethod<DisconnectResponse, DisconnectRequest> DISCONNECT = ServiceMethod.client(
      SERVICE, "Disconnect", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(DisconnectResponse.getDefaultInstance()));

  private final GrpcClient client;
  private final RpcTargets targets;
  private final int maxSendSize;

  GrpcAppClient(Vertx vertx, RpcOptions options, RpcTargets targets) {
    GrpcClientOptions grpc = new GrpcClientOptions().setScheduleDeadlineAutomatically(true);
    if (options.maxRecvSize() > 0) {
      grpc.setMaxMessageSize(options.maxRecvSize());
    }
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setKeepAlive(true);
    this.client = GrpcClient.client(vertx, grpc, RpcTls.apply(http, options));
    this.targets = targets;
    this.maxSendSize = options.maxSendSize();
  }

  @Override
  public Future<ConnectionResponse> connect(String sid, ConnectionRequest request, long timeoutMs) {
    return call(CONNECT, sid, request, timeoutMs);
  }

  @Override
  public Future<CommandResponse> command(String sid, CommandMessage request, long timeoutMs) {
    return call(COMMAND, sid, request, timeoutMs);
  }

  @Override
  public Future<DisconnectResponse> disconnect(String sid, DisconnectRequest request, long timeoutMs) {
    return call(DISCONNECT, sid, request, timeoutMs);
  }

  private <Req extends Message, Resp> Future<Resp> call(
      ServiceMethod<Resp, Req> method, String sid, Req request, long timeoutMs) {
    if (maxSendSize > 0 && request.getSerializedSize() > maxSendSize) {
      return Future.failedFuture(new RpcException(RpcStatus.INVALID_ARGUMENT,
          "request of " + request.getSerializedSize() + " bytes exceeds rpc_max_call_send_size"));
    }
    SocketAddress address = targets.next();
    if (address == null) {
      return Future.failedFuture(new RpcException(RpcStatus.UNAVAILABLE, "no RPC address resolved for " + targets));
    }
    Future<GrpcClientRequest<Req, Resp>> started;
    try {
      started = client.request(address, method);
    } catch (IllegalStateException closed) {
      // The client was closed (the verticle stops): a call still arriving fails like an unreachable app.
      return Future.failedFuture(new RpcException(RpcStatus.UNAVAILABLE, "RPC client closed: " + closed.getMessage()));
    }
    return started
        .compose(req -> {
          req.headers().set("sid", sid).set("protov", "v1");
          if (timeoutMs > 0) {
            req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
          }
          return req.send(request).compose(resp -> resp.last());
        })
        .recover(err -> Future.failedFuture(map(err)));
  }

  static RpcException map(Throwable err) {
    if (err instanceof RpcException e) {
      return e;
    }
    if (err instanceof InvalidStatusException e) {
      RpcStatus status = RpcStatus.of(e.actualStatus().code);
      return new RpcException(status, "application answered " + e.actualStatus());
    }
    if (err instanceof TimeoutException || String.valueOf(err.getMessage()).toLowerCase().contains("timeout")) {
      return new RpcException(RpcStatus.DEADLINE_EXCEEDED, String.valueOf(err.getMessage()));
    }
    return new RpcException(RpcStatus.UNAVAILABLE, String.valueOf(err.getMessage()));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
