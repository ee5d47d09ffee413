// AnyCable's conformance scenarios (anyt) against the packaged server with an RPC application,
// over gRPC or HTTP RPC (RPC_MODE). Server flags: --rpc_host=<app> --headers=cookie,x-api-token.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable, SubscriptionRejectedError } from '@anycable/core'
import { env, RawClient, broadcast, publication, sleep } from './lib/cable.mjs'
import { startApp, calls } from './lib/rpc_app.mjs'

let stopApp
before(async () => {
  stopApp = await startApp({ mode: process.env.RPC_MODE, port: Number(process.env.RPC_PORT), secret: process.env.RPC_SECRET || '' })
})
after(() => stopApp && stopApp())

const id = (channel, params = {}) => JSON.stringify({ channel, ...params })
async function client(qs = '', options = {}) {
  const c = await RawClient.connect(`${env.url}${qs}`, ['actioncable-v1-json'], options)
  return c
}
async function welcomed(qs = '', options = {}) {
  const c = await client(qs, options)
  assert.equal((await c.next()).type, 'welcome')
  return c
}

test('welcome, with the session id the application received', async () => {
  const c = await client()
  const welcome = await c.next()
  assert.equal(welcome.type, 'welcome')
  assert.ok(calls.connect.some((call) => call.sid === welcome.sid), 'the sid travels as RPC metadata')
  c.close()
})

test('a rejected connection gets unauthorized and is closed', async () => {
  const c = await client('?test=reasons&reason=unauthorized')
  assert.deepEqual(await c.next(), { type: 'disconnect', reason: 'unauthorized', reconnect: false })
  assert.equal((await c.closed).code, 1000)
})

test('the request URL, cookies and whitelisted headers reach Connect', async () => {
  ;(await welcomed('?test=request_url')).close()
  const noCookie = await client('?test=cookies')
  assert.equal((await noCookie.next()).reason, 'unauthorized')
  ;(await welcomed('?test=cookies', { headers: { Cookie: 'username=john green' } })).close()
  const noHeader = await client('?test=headers')
  assert.equal((await noHeader.next()).reason, 'unauthorized')
  ;(await welcomed('?test=headers', { headers: { 'X-API-TOKEN': 'abc' } })).close()
  const seen = calls.connect.at(-1).req.env.headers
  assert.equal(seen['x-api-token'], 'abc')
  assert.equal(seen.REMOTE_ADDR, '127.0.0.1')
})

test('subscription acknowledgement, rejection and params', async () => {
  const c = await welcomed()
  const plain = id('Plain')
  assert.deepEqual(await c.subscribe(plain), { identifier: plain, type: 'confirm_subscription' })
  const rejector = id('Rejector')
  assert.deepEqual(await c.subscribe(rejector), { identifier: rejector, type: 'reject_subscription' })
  for (const n of [1, 2]) {
    const withParams = id('Plain', { id: n })
    assert.deepEqual(await c.subscribe(withParams), { identifier: withParams, type: 'confirm_subscription' })
  }
  c.close()
})

test('transmissions from subscribe arrive before the confirmation, in order', async () => {
  const c = await welcomed()
  const t = id('Transmitter')
  c.send({ command: 'subscribe', identifier: t })
  assert.deepEqual(await c.next(), { identifier: t, message: 'hello' })
  assert.deepEqual(await c.next(), { identifier: t, message: 'world' })
  assert.deepEqual(await c.next(), { identifier: t, type: 'confirm_subscription' })
  c.close()
})

test('perform with and without arguments', async () => {
  const c = await welcomed()
  const p = id('Perform')
  await c.subscribe(p)
  c.send({ command: 'message', identifier: p, data: JSON.stringify({ action: 'tick' }) })
  assert.deepEqual(await c.next(), { identifier: p, message: 'tock' })
  c.send({ command: 'message', identifier: p, data: JSON.stringify({ action: 'echo', text: 'hello' }) })
  assert.deepEqual(await c.next(), { identifier: p, message: { response: 'hello' } })
  c.close()
})

test('streams: broadcast, two streams, stop one, stop all', async () => {
  const c = await welcomed()
  const s = id('Streams', { multi: true })
  await c.subscribe(s)
  await broadcast(publication('a', { data: 'X' }))
  assert.deepEqual(await c.next(), { identifier: s, message: { data: 'X' } })
  await broadcast(publication('b', { data: 'Y' }))
  assert.deepEqual(await c.next(), { identifier: s, message: { data: 'Y' } })
  c.send({ command: 'message', identifier: s, data: JSON.stringify({ action: 'unfollow', name: 'a' }) })
  c.send({ command: 'message', identifier: s, data: JSON.stringify({ action: 'echo', text: 'sync' }) })
  await c.next() // the echo: the unfollow was applied before it
  await broadcast(publication('a', { data: 'gone' }))
  await broadcast(publication('b', { data: 'Z' }))
  assert.deepEqual(await c.next(), { identifier: s, message: { data: 'Z' } })
  c.send({ command: 'message', identifier: s, data: JSON.stringify({ action: 'stopAll' }) })
  c.send({ command: 'message', identifier: s, data: JSON.stringify({ action: 'echo', text: 'sync' }) })
  await c.next()
  await broadcast(publication('b', { data: 'after stop' }))
  await c.expectNothing(500)
  c.close()
})

test('the same channel with different params makes independent subscriptions', async () => {
  const c = await welcomed()
  const one = id('Streams')
  const two = id('Streams', { some_param: 'test' })
  await c.subscribe(one)
  await c.subscribe(two)
  await broadcast(publication('a', { data: 'XX' }))
  const got = [await c.next(), await c.next()]
  assert.deepEqual(new Set(got.map((m) => m.identifier)), new Set([one, two]))
  assert.ok(got.every((m) => m.message.data === 'XX'))
  c.close()
})

test('with two clients, one unsubscribing does not stop the other; it gets nothing more', async () => {
  const [c1, c2] = [await welcomed(), await welcomed()]
  const s = id('Streams', { multi: true })
  await c1.subscribe(s)
  await c2.subscribe(s)
  await broadcast(publication('a', { data: 'X' }))
  assert.deepEqual(await c1.next(), { identifier: s, message: { data: 'X' } })
  assert.deepEqual(await c2.next(), { identifier: s, message: { data: 'X' } })
  c1.send({ command: 'unsubscribe', identifier: s })
  c1.send({ command: 'subscribe', identifier: id('Plain', { sync: true }) })
  await c1.next() // the unsubscribe has been processed (no acknowledgement of its own)
  await broadcast(publication('a', { data: 'Y' }))
  await broadcast(publication('b', { data: 'Z' }))
  assert.deepEqual(await c2.next(), { identifier: s, message: { data: 'Y' } })
  assert.deepEqual(await c2.next(), { identifier: s, message: { data: 'Z' } })
  await c1.expectNothing(500)
  c1.close()
  c2.close()
})

test('channel state is kept between commands and available on disconnect', async () => {
  const watcher = await welcomed()
  const mine = id('State', { name: 'chipolino' })
  await watcher.subscribe(mine)
  watcher.send({ command: 'message', identifier: mine, data: JSON.stringify({ action: 'tick' }) })
  assert.deepEqual(await watcher.next(), { identifier: mine, message: { count: 3, name: 'chipolino' } })
  const leaver = await welcomed()
  await leaver.subscribe(id('State', { name: 'chipollone', notify_disconnect: true }))
  leaver.close()
  assert.deepEqual(await watcher.next(), { identifier: mine, message: { data: 'user left: chipollone' } })
  watcher.close()
})

test('disconnect runs unsubscribe callbacks for every subscription', async () => {
  const watcher = await welcomed()
  const a = id('LeftNotifier', { x: 'a' })
  const b = id('LeftNotifier', { x: 'b' })
  await watcher.subscribe(a)
  await watcher.subscribe(b)
  const leaver = await welcomed()
  await leaver.subscribe(a)
  await leaver.subscribe(b)
  leaver.close()
  const got = [await watcher.next(), await watcher.next()]
  assert.deepEqual(new Set(got.map((m) => m.identifier)), new Set([a, b]))
  assert.ok(got.every((m) => m.message.data === 'user left'))
  watcher.close()
})

test('disconnect notifies every subscription of the same channel', async () => {
  const watcher = await welcomed()
  await watcher.subscribe(id('LeftNotifier', { x: 'c' }))
  const leaver = await welcomed()
  await leaver.subscribe(id('LeftNotifier', { id: 1 }))
  await leaver.subscribe(id('LeftNotifier', { id: 2 }))
  leaver.close()
  const got = [await watcher.next(), await watcher.next()]
  assert.deepEqual(new Set(got.map((m) => m.message.data)), new Set(['user left1', 'user left2']))
  watcher.close()
})

test('the benchmark channel: echo, broadcast with a result, and a counter of 100 broadcasts in order', async () => {
  const c = await welcomed()
  const b = id('Benchmark')
  await c.subscribe(b)
  c.send({ command: 'message', identifier: b, data: JSON.stringify({ action: 'echo', payload: 'p' }) })
  assert.deepEqual(await c.next(), { identifier: b, message: { action: 'echo', payload: 'p' } })
  c.send({ command: 'message', identifier: b, data: JSON.stringify({ action: 'broadcast', text: 'all of you' }) })
  const two = [await c.next(), await c.next()]
  assert.deepEqual(new Set(two.map((m) => JSON.stringify(m.message))),
    new Set([JSON.stringify({ text: 'all of you' }), JSON.stringify({ text: 'all of you', action: 'broadcastResult' })]))
  c.send({ command: 'message', identifier: b, data: JSON.stringify({ action: 'counter', num: 100 }) })
  for (let i = 0; i < 100; i++) assert.deepEqual(await c.next(), { identifier: b, message: { text: `Count: ${i}` } })
  c.close()
})

test('X-Request-ID becomes the session id the application sees', async () => {
  const c = await client('', { headers: { 'X-Request-ID': 'req-12345' } })
  assert.deepEqual(await c.next(), { type: 'welcome', sid: 'req-12345' })
  assert.equal(calls.connect.at(-1).sid, 'req-12345')
  c.close()
})

test('a remote disconnect by identifiers', async () => {
  const c = await welcomed('?test=uid&uid=26')
  assert.equal(await broadcast({ command: 'disconnect', payload: { identifier: JSON.stringify({ uid: '26' }), reconnect: true } }), 201)
  assert.deepEqual(await c.next(), { type: 'disconnect', reason: 'remote', reconnect: true })
})

test('broadcast to others excludes the performer; whispers set by the application', async () => {
  const [c1, c2] = [await welcomed(), await welcomed()]
  const s = id('Streams')
  await c1.subscribe(s)
  await c2.subscribe(s)
  c1.send({ command: 'message', identifier: s, data: JSON.stringify({ action: 'speak', content: 'The Other Side' }) })
  assert.deepEqual(await c2.next(), { identifier: s, message: { content: 'The Other Side' } })
  await c1.expectNothing(500)
  const w = id('Whisper')
  await c1.subscribe(w)
  await c2.subscribe(w)
  c1.send({ command: 'whisper', identifier: w, data: { event: 'typing' } })
  assert.deepEqual(await c2.next(), { identifier: w, message: { event: 'typing' } })
  c1.close()
  c2.close()
})

test('@anycable/core: a channel that checks the request params', async () => {
  const denied = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error' })
  await assert.rejects(denied.subscribeTo('RequestCheck').ensureSubscribed(), SubscriptionRejectedError)
  denied.disconnect()
  const allowed = createCable(`${env.url}?token=secret`, { websocketImplementation: WebSocket, logLevel: 'error' })
  await allowed.subscribeTo('RequestCheck').ensureSubscribed()
  allowed.disconnect()
})

test('@rails/actioncable: perform and receive through the application', async () => {
  globalThis.addEventListener ??= () => {}
  globalThis.removeEventListener ??= () => {}
  globalThis.document ??= { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} }
  const ActionCable = await import('@rails/actioncable')
  ActionCable.adapters.WebSocket = WebSocket
  const consumer = ActionCable.createConsumer(env.url)
  const got = []
  let sub
  await new Promise((resolve) => {
    sub = consumer.subscriptions.create({ channel: 'Perform' }, { connected: resolve, received: (m) => got.push(m) })
  })
  sub.perform('echo', { text: 'from rails' })
  for (let i = 0; i < 50 && got.length === 0; i++) await sleep(100)
  assert.deepEqual(got, [{ response: 'from rails' }])
  consumer.disconnect()
})
