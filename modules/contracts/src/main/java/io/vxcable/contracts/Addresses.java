package io.vxcable.contracts;

/**
 * Every event-bus address of the system. Nothing else spells an address.
 *
 * <p>Grammar: {@code cable.<owner>.<operation>} for request/reply (exactly one consumer answers),
 * {@code cable.events.<topic>} for publish (fan-out to every interested consumer in the cluster).
 * Consumers are registered per verticle instance, never per stream or per session, so the cluster
 * registry stays bounded however many streams and sessions exist.
 */
public final class Addresses {

  /**
   * Number of broadcast shards. A stream belongs to shard {@link #shardOf(String)}; a gateway
   * instance listens to a shard only while it has a local subscriber to a stream of that shard.
   * Every node of a cluster must use the same value; it only ever changes with a major version.
   */
  public static final int BROADCAST_SHARDS = 32;

  private static final String BROADCAST_SHARD_PREFIX = "cable.events.broadcast.";
  private static final String[] SHARD_ADDRESSES = new String[BROADCAST_SHARDS];

  static {
    for (int i = 0; i < BROADCAST_SHARDS; i++) {
      SHARD_ADDRESSES[i] = BROADCAST_SHARD_PREFIX + i;
    }
  }

  /**
   * Publish. Body: {@link io.vxcable.contracts.bus.RemoteCommand}. No reply. Consumers: every
   * gateway instance. Producer: the broadcast verticle (remote commands from publishers).
   */
  public static final String EVENTS_COMMAND = "cable.events.command";

  /**
   * Publish. Body: none (every stream), a {@code JsonArray} of broadcast shards (the streams of
   * those shards), or {@code {"heads":{"<stream>":["<epoch>",<offset>],...}}} (the streams named,
   * where the engine is behind that offset). No reply. Consumers: every gateway engine, which reads
   * from the broker's history what came after the last offset it sent of each such stream it
   * follows (a live copy lost at the end of a stream's traffic shows no hole until the stream's next
   * message). Producers: the pub/sub bridge once it has reconnected (local to its node), a broker
   * that took over the shards of a cluster member that left (those shards, to the cluster), every
   * broker for the streams it stamped that went quiet (heads, to the cluster).
   */
  public static final String EVENTS_RESYNC = "cable.events.resync";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.HttpExchange}; reply:
   * {@link io.vxcable.contracts.bus.HttpExchangeReply}. Owner: the broadcast verticle. Producer: a
   * gateway that received {@code POST <http_broadcast_path>} on the main port it owns.
   */
  public static final String BROADCAST_HTTP = "cable.broadcast.http";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.HttpExchange}; reply:
   * {@link io.vxcable.contracts.bus.HttpExchangeReply}. The REST API ({@code POST {api_path}/publish},
   * {@code GET {api_path}/presence/<stream>/users}) forwarded by the gateway owning the main port.
   * Owner: the broadcast verticle.
   */
  public static final String BROADCAST_API = "cable.broadcast.api";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.HttpExchange}; reply:
   * {@link io.vxcable.contracts.bus.HttpExchangeReply}. The Pusher HTTP API
   * ({@code /apps/<pusher_app_id>/...}) forwarded by the server that received it (the Pusher
   * translator on the main port). Owner: the broadcast verticle.
   */
  public static final String BROADCAST_PUSHER = "cable.broadcast.pusher";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.rpc.ConnectionRequest}; reply:
   * {@link io.vxcable.contracts.rpc.ConnectionResponse}. Owner: the rpc verticle. Header
   * {@link #HEADER_SID} carries the session id.
   */
  public static final String RPC_CONNECT = "cable.rpc.connect";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.rpc.CommandMessage}; reply:
   * {@link io.vxcable.contracts.rpc.CommandResponse}. Owner: the rpc verticle.
   */
  public static final String RPC_COMMAND = "cable.rpc.command";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.rpc.DisconnectRequest}; reply:
   * {@link io.vxcable.contracts.rpc.DisconnectResponse}. Owner: the rpc verticle.
   */
  public static final String RPC_DISCONNECT = "cable.rpc.disconnect";

  /**
   * Publish. Body: none; header {@link #HEADER_SID} names a session that closed while one of its
   * calls was under way: every rpc verticle drops that session's calls still waiting for a slot
   * ({@code rpc_canceled_total}). Producer: a gateway.
   */
  public static final String RPC_CANCEL = "cable.rpc.cancel";

  private static final String BROKER_PUBLISH_PREFIX = "cable.broker.publish.";
  private static final String[] BROKER_PUBLISH_ADDRESSES = new String[BROADCAST_SHARDS];

  static {
    for (int i = 0; i < BROADCAST_SHARDS; i++) {
      BROKER_PUBLISH_ADDRESSES[i] = BROKER_PUBLISH_PREFIX + i;
    }
  }

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.HistoryRequest}; reply:
   * {@link io.vxcable.contracts.bus.HistoryReply}. Owner: the broker.
   */
  public static final String BROKER_HISTORY = "cable.broker.history";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.StreamPositionRequest}; reply:
   * {@link io.vxcable.contracts.bus.StreamPositionReply}. Owner: the broker (every instance).
   */
  public static final String BROKER_POSITION = "cable.broker.position";

  /**
   * Send (or request: the reply, empty, comes once the snapshot is stored). Body:
   * {@link io.vxcable.contracts.bus.SessionSnapshot}. Owner: the broker.
   */
  public static final String BROKER_SESSION_COMMIT = "cable.broker.session.commit";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.SessionRestoreRequest}; reply:
   * {@link io.vxcable.contracts.bus.SessionRestoreReply}. Owner: the broker.
   */
  public static final String BROKER_SESSION_RESTORE = "cable.broker.session.restore";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.PresenceJoin}; reply:
   * {@link io.vxcable.contracts.bus.PresenceChangeReply}. Owner: the presence verticle, which
   * publishes a join event on the stream's broadcast shard when the id is new on the stream.
   */
  public static final String PRESENCE_JOIN = "cable.presence.join";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.PresenceLeave}; reply:
   * {@link io.vxcable.contracts.bus.PresenceChangeReply}. Owner: the presence verticle (a leave
   * event when the id's last session goes).
   */
  public static final String PRESENCE_LEAVE = "cable.presence.leave";

  /**
   * Request/reply. Body: {@link io.vxcable.contracts.bus.PresenceInfoRequest}; reply:
   * {@link io.vxcable.contracts.bus.PresenceInfoReply}. Owner: the presence verticle.
   */
  public static final String PRESENCE_INFO = "cable.presence.info";

  /**
   * Send, no reply. Body: {@link io.vxcable.contracts.bus.PresenceTouch}. Gateways send it for
   * their sessions with presence every {@code presence_ttl / 2}, and once for a session that
   * closed. Owner: the presence verticle.
   */
  public static final String PRESENCE_TOUCH = "cable.presence.touch";

  /**
   * Delivery header of a publish meant for this node's consumers only: a broadcast or command that
   * reaches every node by itself (the legacy {@code redis}/{@code nats} adapters) or that the
   * pub/sub bridge brought from another node. The bridge never relays such a message. Publish it
   * with {@code setLocalOnly(true)} too.
   */
  public static final String HEADER_NODE_ONLY = "node-only";

  /** Delivery header carrying the session id on RPC requests. */
  public static final String HEADER_SID = "sid";

  private Addresses() {}

  /**
   * Publish. Body: {@link io.vxcable.contracts.bus.StreamBroadcast}. No reply. Consumers: gateway
   * instances with a local subscriber to a stream of this shard. Producers: intakes (without a
   * broker), the broker (with one), gateways (whispers).
   */
  public static String broadcastShard(int shard) {
    return SHARD_ADDRESSES[shard];
  }

  /** The shard of a stream: a stable hash of its name, equal on every node and JVM. */
  public static int shardOf(String stream) {
    // String.hashCode is specified by the JLS, so every JVM agrees on it.
    return Math.floorMod(stream.hashCode(), BROADCAST_SHARDS);
  }

  /**
   * Request/reply, one address per shard. Body: {@link io.vxcable.contracts.bus.PublishBatch}
   * (publications of this shard's streams, in intake order); reply:
   * {@link io.vxcable.contracts.bus.PublishBatchAck}. Owner: the one broker instance of the
   * cluster that owns the shard (the single owner of its streams' offsets). It stamps epoch and
   * offset (unless transient), stores, then publishes on the stream's shard broadcast address, in
   * arrival order. Producer: the broadcast intake when a broker is enabled. While ownership moves
   * (a broker node joins or leaves) the address can briefly have no consumer: producers retry.
   */
  public static String brokerPublish(int shard) {
    return BROKER_PUBLISH_ADDRESSES[shard];
  }

  /** The broker address a publication of this stream is sent to. */
  public static String brokerPublishAddress(String stream) {
    return BROKER_PUBLISH_ADDRESSES[shardOf(stream)];
  }

  /** The address a broadcast for this stream is published on. */
  public static String broadcastAddress(String stream) {
    return SHARD_ADDRESSES[shardOf(stream)];
  }
}
