// Reliable streams with the memory broker. Server flags: --public --broker=memory
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, RawClient, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'
import { createProxy } from './lib/proxy.mjs'

const EXT = ['actioncable-v1-ext-json']

test('broadcasts carry stream_id, epoch and consecutive offsets; whispers and transient ones do not', async () => {
  const c = await RawClient.connect(env.url, EXT)
  await c.next()
  const id = pubsub('stamped')
  await c.subscribe(id)
  await broadcast(publication('stamped', 1))
  await broadcast(publication('stamped', 2))
  const [m1, m2] = [await c.next(), await c.next()]
  assert.equal(m1.stream_id, 'stamped')
  assert.match(m1.epoch, /^[A-Za-z0-9_-]{4}$/)
  assert.equal(m2.epoch, m1.epoch)
  assert.equal(m2.offset, m1.offset + 1)
  await broadcast(publication('stamped', 3, { transient: true }))
  assert.deepEqual(await c.next(), { identifier: id, message: 3 })
  c.close()
})

test('history by offset and by time; unknown epochs are rejected', async () => {
  const id = pubsub('hist')
  for (const n of [1, 2, 3]) await broadcast(publication('hist', { n }))
  const c = await RawClient.connect(env.url, EXT)
  await c.next()
  await c.subscribe(id)
  c.send({ command: 'history', identifier: id, history: { since: Math.floor(Date.now() / 1000) - 30 } })
  const since = [await c.next(), await c.next(), await c.next()]
  assert.deepEqual(since.map((m) => m.message.n), [1, 2, 3])
  assert.deepEqual(await c.next(), { type: 'confirm_history', identifier: id })
  const { epoch } = since[0]
  c.send({ command: 'history', identifier: id, history: { streams: { hist: { epoch, offset: 1 } } } })
  assert.deepEqual([await c.next(), await c.next()].map((m) => m.offset), [2, 3])
  assert.deepEqual(await c.next(), { type: 'confirm_history', identifier: id })
  c.send({ command: 'history', identifier: id, history: { streams: { hist: { epoch: 'nope', offset: 1 } } } })
  assert.deepEqual(await c.next(), { type: 'reject_history', identifier: id })
  c.close()
})

test('subscribe with history: confirmation first, then the missed messages, then confirm_history', async () => {
  await broadcast(publication('subhist', 'before'))
  const c = await RawClient.connect(env.url, EXT)
  await c.next()
  const id = pubsub('subhist')
  c.send({ command: 'subscribe', identifier: id, history: { since: Math.floor(Date.now() / 1000) - 30 } })
  assert.deepEqual(await c.next(), { type: 'confirm_subscription', identifier: id })
  assert.equal((await c.next()).message, 'before')
  assert.deepEqual(await c.next(), { type: 'confirm_history', identifier: id })
  c.close()
})

test('a session is restored by X-ANYCABLE-RESTORE-SID and by ?sid=, without resubscribing', async () => {
  const first = await RawClient.connect(env.url, EXT)
  const { sid } = await first.next()
  const id = pubsub('resume')
  await first.subscribe(id)
  first.close()
  await first.closed
  const byHeader = await RawClient.connect(env.url, EXT, { headers: { 'X-ANYCABLE-RESTORE-SID': sid } })
  const welcome = await byHeader.next()
  assert.equal(welcome.type, 'welcome')
  assert.equal(welcome.restored, true)
  assert.deepEqual(welcome.restored_ids, [id])
  assert.notEqual(welcome.sid, sid)
  // The protocol recommends a history request per restored identifier; without a position it is
  // empty (as @anycable/core sends it) and lets live broadcasts through at once.
  byHeader.send({ command: 'history', identifier: id, history: {} })
  await broadcast(publication('resume', 'after restore'))
  assert.equal((await byHeader.next()).message, 'after restore')
  const byParam = await RawClient.connect(`${env.url}?sid=${welcome.sid}`, EXT)
  assert.equal((await byParam.next()).restored, true)
  const unknown = await RawClient.connect(`${env.url}?sid=never-seen`, EXT)
  const plainWelcome = await unknown.next()
  assert.equal(plainWelcome.type, 'welcome')
  assert.equal(plainWelcome.restored, undefined)
  const v1 = await RawClient.connect(`${env.url}?sid=${welcome.sid}`)
  assert.equal((await v1.next()).restored, undefined, 'only the extended protocol resumes')
  for (const c of [byHeader, byParam, unknown, v1]) c.close()
})

test('@anycable/core recovers a dropped connection and catches up exactly once', async () => {
  const cable = createCable(env.url, {
    websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error',
  })
  const channel = cable.streamFrom('recover')
  await channel.ensureSubscribed()
  const seen = new Map()
  channel.on('message', (m, meta) => { if (meta && meta.offset) seen.set(meta.offset, m) })
  await broadcast(publication('recover', { n: 0 }))
  for (let i = 0; i < 50 && seen.size < 1; i++) await sleep(50)
  // Cut the TCP connection abruptly, publish while the client is away, and let it come back.
  const restored = new Promise((resolve) => cable.on('connect', (ev) => ev.restored && resolve()))
  cable.transport.ws._socket.destroy()
  for (let n = 1; n <= 5; n++) await broadcast(publication('recover', { n }))
  await restored
  for (let i = 0; i < 100 && seen.size < 6; i++) await sleep(100)
  assert.deepEqual([...seen.values()].map((m) => m.n).sort(), [0, 1, 2, 3, 4, 5])
  cable.disconnect()
})

test('cut off for 2 s again and again, a client still ends with every message exactly once', async () => {
  const proxy = await createProxy(() => Number(env.port))
  const cable = createCable(`ws://127.0.0.1:${proxy.port}/cable?pi=1`, {
    websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error', pingInterval: 1000,
    // A fixed retry delay: the default backoff grows with every refused attempt during an outage,
    // which would test the client's patience rather than the server's resumption.
    reconnectStrategy: () => 250,
  })
  let restores = 0
  cable.on('connect', (ev) => { if (ev.restored) restores++ })
  const stream = `drops-${Date.now()}`
  const channel = cable.streamFrom(stream)
  await channel.ensureSubscribed()
  const byOffset = new Map()
  channel.on('message', (m, meta) => { if (meta && meta.offset) byOffset.set(meta.offset, m.seq) })

  const total = 60
  const publishing = (async () => {
    for (let seq = 1; seq <= total; seq++) {
      await broadcast(publication(stream, { seq }))
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
  assert.ok(restores >= 2, `the session was resumed after the cuts (${restores} times)`)
  cable.disconnect()
  proxy.close()
})
