// A cluster node dies with kill -9 while publications flow (ReliabilityIT starts the cluster).
// Publications go to a surviving node (PUBLISH_URL) from 8 concurrent publishers to 16 streams
// spread over the broker's shards; subscribers (one with presence) sit on another survivor
// (CABLE_URL). Node KILL_PID dies 3 s in. Every publication must be accepted (201); only the
// death may slow one beyond 1 s (each publisher at most twice, never beyond 3 s); every accepted
// one must reach the subscribers, none under two offsets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RawClient, pubsub, sleep } from '../lib/cable.mjs'

const PUBLISH_URL = process.env.PUBLISH_URL
const KEY = process.env.BROADCAST_KEY || ''
const CABLE_URL = process.env.CABLE_URL
const KILL_PID = Number(process.env.KILL_PID)
const STREAMS = Array.from({ length: 16 }, (_, i) => `death-${i}`)
const SECONDS = 10
const PUBLISHERS = 8

test('publications keep being accepted and delivered while a node dies', async () => {
  const client = await RawClient.connect(CABLE_URL, ['actioncable-v1-ext-json'])
  await client.next()
  for (const stream of STREAMS) await client.subscribe(pubsub(stream))
  const watcher = await RawClient.connect(CABLE_URL, ['actioncable-v1-ext-json'])
  await watcher.next()
  await watcher.subscribe(pubsub(STREAMS[0]))
  watcher.send({ command: 'join', identifier: pubsub(STREAMS[0]), presence: { id: 'watcher', info: { n: 1 } } })

  const received = new Map()
  const offsets = new Map()
  client.ws.on('message', (data) => {
    const m = JSON.parse(data.toString())
    if (m.message && typeof m.message.id === 'number') {
      received.set(m.message.id, (received.get(m.message.id) || 0) + 1)
      if (!offsets.has(m.message.id)) offsets.set(m.message.id, new Set())
      offsets.get(m.message.id).add(m.offset)
    }
  })

  const latencies = []
  const acked = []
  const failures = []
  let next = 0
  const start = Date.now()
  let killedAt = null
  const killer = (async () => {
    await sleep(3000)
    process.kill(KILL_PID, 'SIGKILL')
    killedAt = Date.now() - start
  })()
  async function publisher() {
    while (Date.now() - start < SECONDS * 1000) {
      const id = next++
      const stream = STREAMS[id % STREAMS.length]
      const t0 = performance.now()
      try {
        const res = await fetch(PUBLISH_URL, {
          method: 'POST',
          headers: KEY ? { Authorization: `Bearer ${KEY}` } : {},
          body: JSON.stringify({ stream, data: JSON.stringify({ id }) }),
          signal: AbortSignal.timeout(15000),
        })
        await res.arrayBuffer()
        if (res.status === 201) acked.push(id)
        else failures.push(`${id}: HTTP ${res.status}`)
      } catch (e) {
        failures.push(`${id}: ${e.message}`)
      }
      latencies.push({ at: Date.now() - start, ms: performance.now() - t0 })
      await sleep(10)
    }
  }
  await Promise.all([killer, ...Array.from({ length: PUBLISHERS }, publisher)])

  // Every accepted publication reaches the subscriber (bounded wait).
  const deadline = Date.now() + 10000
  while (Date.now() < deadline && acked.some((id) => !received.has(id))) await sleep(100)
  const missing = acked.filter((id) => !received.has(id))
  const duplicated = [...received.entries()].filter(([, n]) => n > 1).length
  // Stored twice: one publication under two offsets (a retry the new shard owner applied again).
  const storedTwice = [...offsets.entries()].filter(([, set]) => set.size > 1).map(([id, set]) => `${id}: ${[...set]}`)
  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b)
  const p99 = sorted[Math.floor(sorted.length * 0.99)]
  const max = sorted.at(-1)
  const slow = latencies.filter((l) => l.ms > 500).map((l) => `${Math.round(l.ms)} ms at ${l.at} ms`)
  console.log(JSON.stringify({ publications: latencies.length, accepted: acked.length, killedAt, p50: sorted[Math.floor(sorted.length / 2)].toFixed(1),
    p99: p99.toFixed(1), max: max.toFixed(0), slow: slow.slice(0, 10), missing: missing.length, duplicated, storedTwice: storedTwice.length }))

  assert.ok(killedAt !== null, 'the node was killed during the run')
  assert.deepEqual(failures.slice(0, 5), [], 'every publication was accepted')
  // Load-independent form of "accepted within 1 s": after a warm-up of fresh JVMs (1.5 s), a
  // publication slower than 1 s is one the death stalled (sent from just before the kill to 5 s
  // after), each publisher is stalled at most twice (its shard's owner died, then a retry met the
  // dead node's registration once more), and never for more than 3 s (1-1.5 s usually; 2.2 s in a
  // CI run on a machine three times slower than usual; 4.3 s once while the surviving broker still
  // removed the dead node's entry from a replicated map on its event loop, which blocked it 3 s).
  const stalled = latencies.filter((l) => l.at >= 1500 && l.ms > 1000)
  assert.deepEqual(stalled.filter((l) => l.at - l.ms < killedAt - 500 || l.at > killedAt + 5000).map((l) => `${Math.round(l.ms)} ms at ${l.at} ms`),
    [], 'slow publications away from the failover')
  assert.ok(stalled.length <= 2 * PUBLISHERS, `${stalled.length} publications stalled by the death`)
  const worst = Math.max(...latencies.filter((l) => l.at >= 1500).map((l) => l.ms))
  assert.ok(worst <= 3000, `slowest after the warm-up ${worst.toFixed(0)} ms`)
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} accepted publications never arrived`)
  assert.deepEqual(storedTwice.slice(0, 10), [], 'publications stored twice (two offsets)')
  client.close()
  watcher.close()
})
