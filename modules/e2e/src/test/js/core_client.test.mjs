// @anycable/core (the official client) against a server started with --public.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, broadcast, publication, RawClient, pubsub } from './lib/cable.mjs'

const cables = []
const cable = (opts = {}) => {
  const c = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error', lazy: false, ...opts })
  cables.push(c)
  return c
}
after(() => cables.forEach((c) => c.disconnect()))

/** Collects a channel's messages and resolves once `n` have arrived. */
function collect(channel, n, timeoutMs = 10000) {
  const got = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${got.length}/${n}: ${JSON.stringify(got.slice(-3))}`)), timeoutMs)
    channel.on('message', (msg) => {
      got.push(msg)
      if (got.length === n) {
        clearTimeout(timer)
        resolve(got)
      }
    })
  })
}

test('connects and is welcomed', async () => {
  const c = cable()
  await c.connect()
  assert.equal(c.state, 'connected')
})

test('every payload shape arrives as the publisher sent it', async () => {
  const c = cable()
  const channel = c.streamFrom('shapes/1')
  await channel.ensureSubscribed()
  const received = collect(channel, 6)
  assert.equal(await broadcast(publication('shapes/1', { text: 'hi', nested: { n: [1, 2] } })), 201)
  assert.equal(await broadcast({ stream: 'shapes/1', data: JSON.stringify('hello') }), 201)
  assert.equal(await broadcast({ stream: 'shapes/1', data: 'not json' }), 201)
  assert.equal(await broadcast({ stream: 'shapes/1', data: '42' }), 201)
  assert.equal(await broadcast({ stream: 'shapes/1', data: "<script>alert('Message!');</script>" }), 201)
  assert.equal(await broadcast({ stream: 'shapes/1', data: JSON.stringify('{"script":{"alert":"Message!"}}') }), 201)
  assert.deepEqual(await received, [
    { text: 'hi', nested: { n: [1, 2] } },
    'hello',
    'not json',
    42,
    "<script>alert('Message!');</script>",
    '{"script":{"alert":"Message!"}}',
  ])
})

test('a batch is delivered in order, and 200 single broadcasts too', async () => {
  const c = cable()
  const channel = c.streamFrom('order/1')
  await channel.ensureSubscribed()
  const received = collect(channel, 203, 20000)
  assert.equal(await broadcast([1, 2, 3].map((n) => publication('order/1', { n }))), 201)
  for (let i = 0; i < 200; i++) {
    await broadcast(publication('order/1', { i }))
  }
  const got = await received
  assert.deepEqual(got.slice(0, 3), [{ n: 1 }, { n: 2 }, { n: 3 }])
  assert.deepEqual(got.slice(3).map((m) => m.i), Array.from({ length: 200 }, (_, i) => i))
})

test('whispers reach the other subscribers but not the sender', async () => {
  const alice = cable()
  const bob = cable()
  const a = alice.streamFrom('whisper/1')
  const b = bob.streamFrom('whisper/1')
  await Promise.all([a.ensureSubscribed(), b.ensureSubscribed()])
  const echoed = []
  a.on('message', (m) => echoed.push(m))
  const toBob = collect(b, 1)
  await a.whisper({ event: 'typing', user: 'alice' })
  assert.deepEqual(await toBob, [{ event: 'typing', user: 'alice' }])
  await new Promise((r) => setTimeout(r, 500))
  assert.deepEqual(echoed, [])
})

test('the extended protocol welcome carries a session id', async () => {
  const c = cable({ protocol: 'actioncable-v1-ext-json' })
  await c.connect()
  assert.match(c.sessionId, /^[A-Za-z0-9_-]{21}$/)
})

test('unsubscribing stops delivery to that client only', async () => {
  const a = await RawClient.connect()
  const b = await RawClient.connect()
  await a.next()
  await b.next()
  const id = pubsub('unsub/1')
  await a.subscribe(id)
  await b.subscribe(id)
  a.send({ command: 'unsubscribe', identifier: id })
  a.send({ command: 'ping' })
  assert.deepEqual(await a.next(), { type: 'pong' }) // the unsubscribe was processed, without an ack
  await broadcast(publication('unsub/1', 'y'))
  assert.deepEqual(await b.next(), { identifier: id, message: 'y' })
  await a.expectNothing(500)
  a.close()
  b.close()
})
