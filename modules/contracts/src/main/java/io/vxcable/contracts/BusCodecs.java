package io.vxcable.contracts;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vxcable.contracts.bus.HistoryReply;
import io.vxcable.contracts.bus.HistoryRequest;
import io.vxcable.contracts.bus.HttpExchange;
import io.vxcable.contracts.bus.HttpExchangeReply;
import io.vxcable.contracts.bus.PresenceChangeReply;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceJoin;
import io.vxcable.contracts.bus.PresenceLeave;
import io.vxcable.contracts.bus.PresenceTouch;
import io.vxcable.contracts.bus.PublishAck;
import io.vxcable.contracts.bus.PublishBatch;
import io.vxcable.contracts.bus.PublishBatchAck;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.SessionRestoreReply;
import io.vxcable.contracts.bus.SessionRestoreRequest;
import io.vxcable.contracts.bus.SessionSnapshot;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.bus.StreamPositionReply;
import io.vxcable.contracts.bus.StreamPositionRequest;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Registers the codec of every bus message type, once per Vert.x instance. Each verticle calls
 * {@link #ensureRegistered(Vertx)} in {@code start()}, so any verticle can be deployed alone with
 * {@code vertx run} and several can share one process.
 */
public final class BusCodecs {

  private static final Map<EventBus, Boolean> REGISTERED = Collections.synchronizedMap(new WeakHashMap<>());

  private BusCodecs() {}

  public static void ensureRegistered(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    synchronized (REGISTERED) {
      if (REGISTERED.containsKey(bus)) {
        return;
      }
      register(bus, StreamBroadcast.class, StreamBroadcast.parser(), StreamBroadcast.getDescriptor().getFullName());
      register(bus, RemoteCommand.class, RemoteCommand.parser(), RemoteCommand.getDescriptor().getFullName());
      register(bus, HttpExchange.class, HttpExchange.parser(), HttpExchange.getDescriptor().getFullName());
      register(bus, HttpExchangeReply.class, HttpExchangeReply.parser(), HttpExchangeReply.getDescriptor().getFullName());
      register(bus, PublishAck.class, PublishAck.parser(), PublishAck.getDescriptor().getFullName());
      register(bus, PublishBatch.class, PublishBatch.parser(), PublishBatch.getDescriptor().getFullName());
      register(bus, PublishBatchAck.class, PublishBatchAck.parser(), PublishBatchAck.getDescriptor().getFullName());
      register(bus, HistoryRequest.class, HistoryRequest.parser(), HistoryRequest.getDescriptor().getFullName());
      register(bus, HistoryReply.class, HistoryReply.parser(), HistoryReply.getDescriptor().getFullName());
      register(bus, StreamPositionRequest.class, StreamPositionRequest.parser(), StreamPositionRequest.getDescriptor().getFullName());
      register(bus, StreamPositionReply.class, StreamPositionReply.parser(), StreamPositionReply.getDescriptor().getFullName());
      register(bus, SessionSnapshot.class, SessionSnapshot.parser(), SessionSnapshot.getDescriptor().getFullName());
      register(bus, SessionRestoreRequest.class, SessionRestoreRequest.parser(), SessionRestoreRequest.getDescriptor().getFullName());
      register(bus, SessionRestoreReply.class, SessionRestoreReply.parser(), SessionRestoreReply.getDescriptor().getFullName());
      register(bus, PresenceJoin.class, PresenceJoin.parser(), PresenceJoin.getDescriptor().getFullName());
      register(bus, PresenceLeave.class, PresenceLeave.parser(), PresenceLeave.getDescriptor().getFullName());
      register(bus, PresenceChangeReply.class, PresenceChangeReply.parser(), PresenceChangeReply.getDescriptor().getFullName());
      register(bus, PresenceInfoRequest.class, PresenceInfoRequest.parser(), PresenceInfoRequest.getDescriptor().getFullName());
      register(bus, PresenceInfoReply.class, PresenceInfoReply.parser(), PresenceInfoReply.getDescriptor().getFullName());
      register(bus, PresenceTouch.class, PresenceTouch.parser(), PresenceTouch.getDescriptor().getFullName());
      register(bus, ConnectionRequest.class, ConnectionRequest.parser(), ConnectionRequest.getDescriptor().getFullName());
      register(bus, ConnectionResponse.class, ConnectionResponse.parser(), ConnectionResponse.getDescriptor().getFullName());
      register(bus, CommandMessage.class, CommandMessage.parser(), CommandMessage.getDescriptor().getFullName());
      register(bus, CommandResponse.class, CommandResponse.parser(), CommandResponse.getDescriptor().getFullName());
      register(bus, DisconnectRequest.class, DisconnectRequest.parser(), DisconnectRequest.getDescriptor().getFullName());
      register(bus, DisconnectResponse.class, DisconnectResponse.parser(), DisconnectResponse.getDescriptor().getFullName());
      REGISTERED.put(bus, Boolean.TRUE);
    }
  }

  private static <T extends Message> void register(EventBus bus, Class<T> type, Parser<T> parser, String name) {
    bus.registerDefaultCodec(type, new ProtoCodec<>(name, parser));
  }
}
