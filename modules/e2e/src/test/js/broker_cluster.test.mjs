// Reliable streams across a cluster: two server processes joined by Hazelcast, each started with
// --public --broker=hazelcast. History, epoch and sessions are shared; a client may come back on
// either node.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { RawClient, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'
import { createProxy } from './lib/proxy.mjs'

const EXT = ['actioncable-v1-ext-json']
const nodes = [
  { port: Number(process.env.CABLE_PORT_A), url: process.env.CABLE_URL_A, broadcastUrl: process.env.BROADCAST_URL_A },
  { port: Number(process.env.CABLE_PORT_B), url: process.env.CABLE_URL_B, broadcastUrl: process.env.BROADCAST_URL_B },
]
const [A, B] = nodes

test('published on one node, stamped once, read back as history on the other', async () => {
  const stream = `shared-${Date.now()}`
  const id = pubsub(stream)
  const live = await RawClient.connect(A.url, EXT)
  await live.next()
  await live.subscribe(id)
  for (const n of [1, 2, 3, 4]) await broadcast(publication(stream, { n }), { url: nodes[n % 2].broadcastUrl })
  const delivered = [await live.next(), await live.next(), await live.next(), await live.next()]
  assert.deepEqual(delivered.map((m) => m.message.n), [1, 2, 3, 4])
  assert.deepEqual(delivered.map((m) => m.offset), [1, 2, 3, 4])
  const { epoch } = delivered[0]
  assert.ok(delivered.every((m) => m.epoch === epoch && m.stream_id === stream))

  const other = await RawClient.connect(B.url, EXT)
  await other.next()
  await other.subscribe(id)
  other.send({ command: 'history', identifier: id, history: { streams: { [stream]: { epoch, offset: 1 } } } })
  const missed = [await other.next(), await other.next(), await other.next()]
  assert.deepEqual(missed.map((m) => [m.offset, m.message.n]), [[2, 2], [3, 3], [4, 4]])
  assert.deepEqual(await other.next(), { type: 'confirm_history', identifier: id })
  live.close()
  other.close()
})

test('a session opened on one node is restored on the other without resubscribing', async () => {
  const stream = `moved-${Date.now()}`
  const id = pubsub(stream)
  const first = await RawClient.connect(A.url, EXT)
  const { sid } = await first.next()
  await first.subscribe(id)
  first.close()
  await first.closed
  await sleep(500) // the snapshot travels to the cluster map asynchronously
  const moved = await RawClient.connect(`${B.url}?sid=${sid}`, EXT)
  const welcome = await moved.next()
  assert.equal(welcome.restored, true)
  assert.deepEqual(welcome.restored_ids, [id])
  moved.send({ command: 'history', identifier: id, history: {} }) // empty, as @anycable/core sends it without a position
  await broadcast(publication(stream, 'after the move'), { url: A.broadcastUrl })
  assert.equal((await moved.next()).message, 'after the move')
  moved.close()
})

test('cut off again and again and sent to the other node each time, a client gets every message exactly once', async () => {
  // Each new connection goes to the next node: A, B, A, B...
  let connections = 0
  const proxy = await createProxy(() => nodes[connections++ % 2].port)
  const cable = createCable(`ws://127.0.0.1:${proxy.port}/cable?pi=1`, {
    websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error', pingInterval: 1000,
    reconnectStrategy: () => 250,
  })
  let restores = 0
  cable.on('connect', (ev) => { if (ev.restored) restores++ })
  const stream = `hops-${Date.now()}`
  const channel = cable.streamFrom(stream)
  await channel.ensureSubscribed()
  const byOffset = new Map()
  channel.on('message', (m, meta) => { if (meta && meta.offset) byOffset.set(meta.offset, m.seq) })

  const total = 60
  const publishing = (async () => {
    for (let seq = 1; seq <= total; seq++) {
      await broadcast(publication(stream, { seq }), { url: nodes[seq % 2].broadcastUrl })
      await sleep(200)
    }
  })()
  for (let cut = 0; cut < 3; cut++) {
    await sleep(1500)
    proxy.cut()
    await sleep(2000)
    proxy.restore()
  }
  await publishing
  for (let i = 0; i < 300 && byOffset.size < total; i++) await sleep(100)
  const received = [...byOffset.values()].sort((a, b) => a - b)
  assert.deepEqual(received, Array.from({ length: total }, (_, i) => i + 1))
  assert.deepEqual([...byOffset.keys()].sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i + 1),
    'offsets 1..60, each once: one owner stamped the stream whichever node took the publication')
  assert.ok(restores >= 2, `the session was resumed after the cuts (${restores} times)`)
  assert.ok(new Set(proxy.upstreams).size === 2, `the client was served by both nodes (${proxy.upstreams})`)
  cable.disconnect()
  proxy.close()
})
