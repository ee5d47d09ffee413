package io.vxcable.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.multimap.MultiMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code registry}: how many event-bus registrations a cluster holds before and after a gateway's
 * clients subscribe to many distinct streams. The tool joins the cluster as a Hazelcast lite member
 * (it owns no data) and reads Vert.x's subscription map ({@code __vertx.subs}: one entry per
 * clustered consumer and node), then opens {@code --clients} connections that each subscribe to
 * {@code --streams-per-client} distinct {@code $pubsub} streams (the gateway must allow public
 * streams).
 */
final class Registry {

  private final Options o;

  Registry(Options o) {
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 1000);
    int perClient = o.integer("streams-per-client", 100);
    Config config = new Config().setClusterName(o.string("cluster-name", "vxcable")).setLiteMember(true);
    config.setProperty("hazelcast.logging.type", "none");
    config.getNetworkConfig().setPort(o.integer("cluster-port", 5790)).getInterfaces().setEnabled(true)
        .setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(o.list("cluster-members", "127.0.0.1"));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    Vertx vertx = Vertx.builder().withClusterManager(manager).buildClustered().await(120, TimeUnit.SECONDS);
    try {
      HazelcastInstance hz = manager.getHazelcastInstance();
      MultiMap<Object, Object> subs = hz.getMultiMap("__vertx.subs");
      int entriesBefore = subs.size();
      int addressesBefore = subs.keySet().size();
      long t0 = System.nanoTime();
      List<WebSocket> sockets = subscribeAll(vertx, clients, perClient).await(20, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(TimeUnit.SECONDS.toMillis(o.integer("settle-seconds", 3)));
      int entriesAfter = subs.size();
      int addressesAfter = subs.keySet().size();
      Future.join(sockets.stream().map(WebSocket::close).toList()).await(60, TimeUnit.SECONDS);
      return new JsonObject().put("mode", "registry").put("target", o.string("target", "vxcable"))
          .put("clients", clients).put("streams", (long) clients * perClient).put("subscribe_seconds", Fanout.round(seconds))
          .put("registry_entries_before", entriesBefore).put("registry_entries_after", entriesAfter)
          .put("registry_addresses_before", addressesBefore).put("registry_addresses_after", addressesAfter)
          .put("cluster_members", hz.getCluster().getMembers().size());
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  /** Every client subscribes to its own streams; completes once every subscription is confirmed. */
  private Future<List<WebSocket>> subscribeAll(Vertx vertx, int clients, int perClient) {
    URI url = URI.create(o.string("url", "ws://127.0.0.1:8080/cable"));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE));
    List<WebSocket> sockets = new ArrayList<>();
    Promise<List<WebSocket>> done = Promise.promise();
    AtomicInteger pending = new AtomicInteger(clients);
    AtomicInteger next = new AtomicInteger();
    Runnable[] connectNext = new Runnable[1];
    connectNext[0] = () -> {
      int c = next.getAndIncrement();
      if (c >= clients) {
        return;
      }
      AtomicInteger confirmed = new AtomicInteger();
      var socket = client.webSocket();
      socket.textMessageHandler(frame -> {
        if (frame.startsWith("{\"type\":\"welcome\"")) {
          for (int i = 0; i < perClient; i++) {
            socket.writeTextMessage("{\"command\":\"subscribe\",\"identifier\":"
                + Protocol.quote(Protocol.identifier("registry/" + c + "/" + i)) + "}");
          }
        } else if (frame.contains("\"confirm_subscription\"") && confirmed.incrementAndGet() == perClient) {
          if (pending.decrementAndGet() == 0) {
            done.tryComplete(sockets);
          } else {
            connectNext[0].run();
          }
        }
      });
      socket.connect(new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort()).setURI(url.getRawPath())
              .addSubProtocol("actioncable-v1-json"))
          .onSuccess(ws -> {
            synchronized (sockets) {
              sockets.add(ws);
            }
          })
          .onFailure(done::tryFail);
    };
    for (int i = 0; i < Math.min(50, clients); i++) {
      vertx.runOnContext(v -> connectNext[0].run());
    }
    return done.future();
  }
}
