package io.vxcable.observability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * anycable-go's Go runtime gauges mapped to their JVM counterparts: {@code goroutines_num} is the
 * number of live JVM threads (Vert.x serves every connection on a few event loops, so it stays
 * O(1)); {@code mem_sys_bytes} is the memory obtained from the OS: the process's resident set where
 * {@code /proc} tells it, else the committed heap and non-heap. With {@code ANYCABLE_MEMORY_METRICS=1}:
 * {@code heap_sys_bytes} (committed heap), {@code heap_alloc_total} (used heap), {@code heap_idle_bytes}
 * (committed, unused), {@code heap_released_bytes} (the heap's maximum not yet committed) and
 * {@code stack_sys_bytes} (committed non-heap: metaspace, code cache, thread stacks' share).
 */
final class RuntimeGauges {

  private static final Path STATM = Path.of("/proc/self/statm");
  private static final long PAGE = 4096;

  private RuntimeGauges() {}

  static void register(Metrics m) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    m.intervalGauge("goroutines_num", "The number of live JVM threads (anycable-go: Go routines)", threads::getThreadCount);
    m.intervalGauge("mem_sys_bytes", "The total bytes of memory obtained from the OS (resident set)", () -> {
      long rss = residentBytes();
      return rss > 0 ? rss
          : memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
    });
    if ("1".equals(System.getenv("ANYCABLE_MEMORY_METRICS"))) {
      m.intervalGauge("heap_sys_bytes", "Committed heap bytes", () -> memory.getHeapMemoryUsage().getCommitted());
      m.intervalGauge("heap_alloc_total", "Used heap bytes", () -> memory.getHeapMemoryUsage().getUsed());
      m.intervalGauge("heap_idle_bytes", "Committed heap bytes not in use", () -> {
        var heap = memory.getHeapMemoryUsage();
        return heap.getCommitted() - heap.getUsed();
      });
      m.intervalGauge("heap_released_bytes", "Heap bytes the JVM may still commit", () -> {
        var heap = memory.getHeapMemoryUsage();
        return Math.max(0, heap.getMax() - heap.getCommitted());
      });
      m.intervalGauge("stack_sys_bytes", "Committed non-heap bytes", () -> memory.getNonHeapMemoryUsage().getCommitted());
    }
  }

  static long residentBytes() {
    try {
      String[] fields = Files.readString(STATM).trim().split(" ");
      return Long.parseLong(fields[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
