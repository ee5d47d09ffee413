package io.vxcable.e2e;

import io.vxcable.testkit.ServerProcess;
import java.util.HashMap;
import java.util.Map;

/** The environment a Node test file reads to find the server under test (see {@code lib/cable.mjs}). */
final class NodeEnv {

  private NodeEnv() {}

  /** Port, WebSocket URL, broadcast URL and key, secret and the server's pid; a mutable map to add to. */
  static Map<String, String> of(ServerProcess server, String broadcastUrl, String key, String secret) {
    Map<String, String> env = new HashMap<>();
    env.put("CABLE_PORT", String.valueOf(server.port()));
    env.put("CABLE_URL", "ws://127.0.0.1:" + server.port() + "/cable");
    env.put("BROADCAST_URL", broadcastUrl);
    env.put("BROADCAST_KEY", key);
    env.put("SECRET", secret);
    env.put("SERVER_PID", String.valueOf(server.pid()));
    return env;
  }
}
