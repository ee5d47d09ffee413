package io.vxcable.launcher;

/**
 * JVM settings the server needs before any library initialises, applied by both entry points.
 * A property the user already set (-D) is left alone.
 */
final class JvmDefaults {

  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private JvmDefaults() {}

  /**
   * On one or two cores the common fork-join pool has a parallelism of 1, and Hazelcast then runs
   * every future callback on a brand-new thread (measured: a thread per broker append, and a
   * tenth of the throughput). Two workers at least keep it on the pool.
   */
  static void apply() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }
}
