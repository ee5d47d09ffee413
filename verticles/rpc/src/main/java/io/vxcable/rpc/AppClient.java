package io.vxcable.rpc;

import io.vertx.core.Future;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;

/**
 * Responsible for one attempt of one AnyCable RPC call to the application, over one transport
 * ({@link GrpcAppClient}, {@link HttpAppClient}). Failures are {@link RpcException}s carrying a
 * gRPC-style status; retries, deadlines and concurrency belong to {@link RpcCaller}. Every call
 * carries the session id ({@code sid} metadata, {@code x-anycable-meta-sid}) and {@code protov: v1}.
 */
public interface AppClient {

  Future<ConnectionResponse> connect(String sid, ConnectionRequest request, long timeoutMs);

  Future<CommandResponse> command(String sid, CommandMessage request, long timeoutMs);

  Future<DisconnectResponse> disconnect(String sid, DisconnectRequest request, long timeoutMs);

  Future<Void> close();
}
