package io.vxcable.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile summary's arithmetic over collapsed stacks. */
class ProfileTest {

  @Test
  void sharesOfKernelGcAndJitAndTheFramesWithMostSamplesOfTheirOwn() {
    JsonObject s = Profile.summarize(List.of(
        "Thread.run;Hub.broadcast;__GI___send;tcp_sendmsg_[k] 60",
        "Thread.run;Hub.broadcast;Session.write 20",
        "start_thread;GangWorker::loop;G1ParScanThreadState::trim_queue_to_threshold 15",
        "start_thread;CompileBroker::compiler_thread_loop;C2Compiler::compile_method 5",
        "not a stack line"), 2);
    assertThat(s.getLong("samples")).isEqualTo(100);
    assertThat(s.getDouble("kernel_share")).isEqualTo(0.6);
    assertThat(s.getDouble("gc_share")).isEqualTo(0.15);
    assertThat(s.getDouble("jit_share")).isEqualTo(0.05);
    assertThat(s.getJsonArray("top_self").size()).isEqualTo(2);
    assertThat(s.getJsonArray("top_self").getJsonObject(0).getString("frame")).isEqualTo("tcp_sendmsg_[k]");
    assertThat(s.getJsonArray("top_self").getJsonObject(1).getDouble("share")).isEqualTo(0.2);
  }
}
