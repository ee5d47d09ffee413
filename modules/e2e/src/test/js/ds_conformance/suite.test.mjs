// The Durable Streams server conformance suite (@durable-streams/server-conformance-tests, vitest),
// pointed at the write front of ../lib/ds_shim.mjs. Run by ../durable_streams_conformance.test.mjs
// with a test name filter: only the cases that apply to a read-only server.
import { runConformanceTests } from '@durable-streams/server-conformance-tests'

runConformanceTests({ baseUrl: process.env.CONFORMANCE_TEST_URL, longPollTimeoutMs: Number(process.env.LONG_POLL_MS || 20000) })
