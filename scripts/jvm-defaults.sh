# JVM settings shared by scripts/anycable and scripts/vertx (sourced, not run).
# JAVA_OPTS comes after them on the command line, so any of them can be overridden there.
#
# - Die at once on OutOfMemoryError: a supervisor restarts the process, clients fail over.
# - Give memory back: after a collection the heap keeps at most 10 % free (at least 5 %), and an
#   idle server runs a concurrent cycle every 15 s that returns what it no longer uses. The JVM's
#   defaults keep the heap grown while clients connected (about 27 KB of RSS per idle connection
#   at 19,000 against 5.8 KB with these; fan-out latency unchanged; docs/benchmarks.md).
#   With the default collector (G1); the ratios also apply to Serial, the interval is ignored.
JVM_DEFAULTS="-XX:+ExitOnOutOfMemoryError -XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5 -XX:G1PeriodicGCInterval=15000 -XX:G1HeapRegionSize=1m"
# glibc gives every thread that allocates its own arena (up to 8 per core), which the JVM's
# compiler and I/O threads fill and never return; two are enough for this server.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
