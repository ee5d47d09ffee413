package io.vxcable.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * A measured window: its length and where the machine's time went during it, this load
 * generator's process, the server's ({@code --pid}, when given) and idle (every core).
 */
final class CpuWindow {
  private final long self = ProcessHandle.current().pid();
  private final long server;
  private final double client0;
  private final double server0;
  private final double idle0;
  private final long t0;
  double seconds;
  JsonObject cpu;

  CpuWindow(long server) throws IOException {
    this.server = server;
    this.client0 = ProcSampler.cpuSeconds(self);
    this.server0 = server > 0 ? ProcSampler.cpuSeconds(server) : 0;
    this.idle0 = ProcSampler.idleSeconds();
    this.t0 = System.nanoTime();
  }

  CpuWindow end() throws IOException {
    seconds = (System.nanoTime() - t0) / 1e9;
    cpu = new JsonObject().put("client_s", Fanout.round(ProcSampler.cpuSeconds(self) - client0))
        .put("idle_s", Fanout.round(ProcSampler.idleSeconds() - idle0));
    if (server > 0) {
      cpu.put("server_s", Fanout.round(ProcSampler.cpuSeconds(server) - server0));
    }
    return this;
  }
}
