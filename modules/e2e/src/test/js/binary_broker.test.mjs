// Reliable streams over the binary formats' extended protocols: stream positions, history and
// session restore. Server flags: --public --broker=memory
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'
import { createProxy } from './lib/proxy.mjs'
import { BinaryClient, encoderFor } from './lib/encoders.mjs'

const MSGPACK = 'actioncable-v1-ext-msgpack'
const PROTOBUF = 'actioncable-v1-ext-protobuf'

for (const protocol of [MSGPACK, PROTOBUF]) {
  test(`${protocol}: stamped broadcasts, history by offset, a restored session`, async () => {
    const stream = `hist/${protocol}`
    const id = pubsub(stream)
    const c = await BinaryClient.connect(env.url, protocol)
    const { sid } = await c.next()
    c.send({ command: 'subscribe', identifier: id })
    assert.equal((await c.next()).type, 'confirm_subscription')
    for (const n of [1, 2, 3]) await broadcast(publication(stream, { n }))
    const stamped = [await c.next(), await c.next(), await c.next()]
    assert.deepEqual(stamped.map((m) => m.message.n), [1, 2, 3])
    assert.equal(stamped[0].stream_id, stream)
    assert.match(stamped[0].epoch, /^[A-Za-z0-9_-]{4}$/)
    const offsets = stamped.map((m) => Number(m.offset))
    assert.deepEqual(offsets, [offsets[0], offsets[0] + 1, offsets[0] + 2])
    const { epoch } = stamped[0]
    c.send({ command: 'history', identifier: id, history: { streams: { [stream]: { epoch, offset: offsets[0] } } } })
    assert.deepEqual([await c.next(), await c.next()].map((m) => m.message.n), [2, 3])
    const confirmed = await c.next()
    assert.equal(confirmed.type, 'confirm_history')
    assert.equal(confirmed.identifier, id)
    c.close()
    await c.closed
    const back = await BinaryClient.connect(`${env.url}?sid=${sid}`, protocol)
    const welcome = await back.next()
    assert.equal(welcome.type, 'welcome')
    assert.equal(welcome.restored, true)
    assert.deepEqual([...welcome.restored_ids], [id])
    // Empty, as @anycable/core sends it without a position: whatever the answer (none, or the
    // confirmation of an empty replay), live broadcasts flow at once.
    back.send({ command: 'history', identifier: id, history: {} })
    await broadcast(publication(stream, { n: 4 }))
    assert.deepEqual((await back.next((m) => m.type !== 'ping' && m.type !== 'confirm_history')).message, { n: 4 })
    back.close()
  })
}

test('@anycable/core over actioncable-v1-ext-msgpack, cut off again and again, ends with every message exactly once', async () => {
  const proxy = await createProxy(() => Number(env.port))
  const cable = createCable(`ws://127.0.0.1:${proxy.port}/cable?pi=1`, {
    websocketImplementation: WebSocket, protocol: MSGPACK, encoder: encoderFor(MSGPACK), logLevel: 'error',
    pingInterval: 1000, reconnectStrategy: () => 250,
  })
  let restores = 0
  cable.on('connect', (ev) => { if (ev.restored) restores++ })
  const stream = `drops-msgpack-${Date.now()}`
  const channel = cable.streamFrom(stream)
  await channel.ensureSubscribed()
  const byOffset = new Map()
  channel.on('message', (m, meta) => { if (meta && meta.offset) byOffset.set(Number(meta.offset), m.seq) })

  const total = 40
  const publishing = (async () => {
    for (let seq = 1; seq <= total; seq++) {
      await broadcast(publication(stream, { seq }))
      await sleep(150)
    }
  })()
  for (let cut = 0; cut < 2; cut++) {
    await sleep(1500)
    proxy.cut()
    await sleep(1500)
    proxy.restore()
  }
  await publishing
  for (let i = 0; i < 300 && byOffset.size < total; i++) await sleep(100)
  const received = [...byOffset.values()].sort((a, b) => a - b)
  assert.deepEqual(received, Array.from({ length: total }, (_, i) => i + 1))
  assert.ok(restores >= 2, `the session was resumed after the cuts (${restores} times)`)
  cable.disconnect()
  proxy.close()
})

test('@anycable/core over actioncable-v1-ext-protobuf recovers a dropped connection and catches up exactly once', async () => {
  const cable = createCable(env.url, {
    websocketImplementation: WebSocket, protocol: PROTOBUF, encoder: encoderFor(PROTOBUF), logLevel: 'error',
  })
  const stream = `recover-protobuf-${Date.now()}`
  const channel = cable.streamFrom(stream)
  await channel.ensureSubscribed()
  const seen = new Map()
  channel.on('message', (m, meta) => { if (meta && meta.offset) seen.set(Number(meta.offset), m) })
  await broadcast(publication(stream, { n: 0 }))
  for (let i = 0; i < 50 && seen.size < 1; i++) await sleep(50)
  const restored = new Promise((resolve) => cable.on('connect', (ev) => ev.restored && resolve()))
  cable.transport.ws._socket.destroy()
  for (let n = 1; n <= 5; n++) await broadcast(publication(stream, { n }))
  await restored
  for (let i = 0; i < 100 && seen.size < 6; i++) await sleep(100)
  assert.deepEqual([...seen.values()].map((m) => m.n).sort(), [0, 1, 2, 3, 4, 5])
  cable.disconnect()
})
