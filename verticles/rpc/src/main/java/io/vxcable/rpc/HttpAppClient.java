package io.vxcable.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.PoolOptions;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * AnyCable's HTTP RPC: {@code POST <base>/connect|command|disconnect} with the proto messages as
 * JSON (snake_case names, numeric status, empty fields omitted), {@code Authorization: Bearer
 * <secret>}, {@code x-anycable-meta-sid} and {@code x-anycable-meta-protov}. HTTP results map to
 * gRPC statuses as anycable-go maps them: 401 Unauthenticated, 400/422 InvalidArgument, other
 * non-200 Unknown, transport errors Unavailable (retried).
 */
final class HttpAppClient implements AppClient {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames().printingEnumsAsInts()
      .omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final HttpClient http;
  private final String base;
  private final String authorization;
  private final long requestTimeoutMs;

  HttpAppClient(Vertx vertx, RpcOptions options) {
    String b = options.host();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.authorization = options.secret().isEmpty() ? null : "Bearer " + options.secret();
    this.requestTimeoutMs = options.httpTimeoutMs();
    this.http = vertx.createHttpClient(RpcTls.apply(new HttpClientOptions().setKeepAlive(true), options),
        new PoolOptions().setHttp1MaxSize(Math.max(1, options.concurrency())));
  }

  @Override
  public Future<ConnectionResponse> connect(String sid, ConnectionRequest request, long timeoutMs) {
    return post("connect", sid, request, ConnectionResponse::newBuilder, timeoutMs);
  }

  @Override
  public Future<CommandResponse> command(String sid, CommandMessage request, long timeoutMs) {
    return post("command", sid, request, CommandResponse::newBuilder, timeoutMs);
  }

  @Override
  public Future<DisconnectResponse> disconnect(String sid, DisconnectRequest request, long timeoutMs) {
    return post("disconnect", sid, request, DisconnectResponse::newBuilder, timeoutMs);
  }

  @SuppressWarnings("unchecked")
  private <B extends Message.Builder, R extends Message> Future<R> post(
      String method, String sid, Message request, Supplier<B> builder, long budgetMs) {
    String body;
    try {
      body = PRINTER.print(request);
    } catch (InvalidProtocolBufferException e) {
      return Future.failedFuture(new RpcException(RpcStatus.INTERNAL, e.getMessage()));
    }
    long timeout = budgetMs > 0 ? Math.min(budgetMs, requestTimeoutMs) : requestTimeoutMs;
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + "/" + method)
        .setIdleTimeout(timeout)
        .putHeader("Content-Type", "application/json")
        .putHeader("x-anycable-meta-sid", sid)
        .putHeader("x-anycable-meta-protov", "v1");
    if (authorization != null) {
      ro.putHeader("Authorization", authorization);
    }
    Future<HttpClientRequest> started;
    try {
      started = http.request(ro);
    } catch (IllegalStateException closed) {
      // The client was closed (the verticle stops): a call still arriving fails like an unreachable app.
      return Future.failedFuture(new RpcException(RpcStatus.UNAVAILABLE, "RPC client closed: " + closed.getMessage()));
    }
    return started
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(res -> res.body().compose(payload -> {
          int status = res.statusCode();
          if (status == 200) {
            B b = builder.get();
            try {
              PARSER.merge(payload.toString(), b);
            } catch (InvalidProtocolBufferException e) {
              return Future.failedFuture(new RpcException(RpcStatus.INTERNAL, "bad " + method + " response: " + e.getMessage()));
            }
            return Future.succeededFuture((R) b.build());
          }
          RpcStatus mapped = status == 401 ? RpcStatus.UNAUTHENTICATED
              : status == 400 || status == 422 ? RpcStatus.INVALID_ARGUMENT
              : RpcStatus.UNKNOWN;
          return Future.failedFuture(new RpcException(mapped, "HTTP " + status + " from " + method + ": " + payload));
        }))
        .recover(err -> Future.failedFuture(map(err)));
  }

  private static RpcException map(Throwable err) {
    if (err instanceof RpcException e) {
      return e;
    }
    if (err instanceof SSLException) {
      return new RpcException(RpcStatus.UNAUTHENTICATED, err.getMessage());
    }
    if (err instanceof TimeoutException || err instanceof io.vertx.core.http.HttpClosedException
        && String.valueOf(err.getMessage()).contains("timeout")) {
      return new RpcException(RpcStatus.DEADLINE_EXCEEDED, String.valueOf(err.getMessage()));
    }
    return new RpcException(RpcStatus.UNAVAILABLE, String.valueOf(err.getMessage()));
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }
}
