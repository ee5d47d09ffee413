// Wire-level behaviour with a raw WebSocket client. Server flags: --public --pong_timeout=1
// --path=/cable,/t/{tenant}/cable --turbo_streams --turbo_streams_secret=turbo --cable_ready
// --cable_ready_secret=cr --max_message_size=4096
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient, broadcast, publication, pubsub, signStream, isPing } from './lib/cable.mjs'

test('the server prefers actioncable-v1-json, and the extended protocol welcome has a sid', async () => {
  const both = await RawClient.connect(env.url, ['actioncable-v1-ext-json', 'actioncable-v1-json'])
  assert.equal(both.ws.protocol, 'actioncable-v1-json')
  const ext = await RawClient.connect(env.url, ['actioncable-v1-ext-json'])
  assert.equal(ext.ws.protocol, 'actioncable-v1-ext-json')
  const welcome = await ext.next()
  assert.equal(welcome.type, 'welcome')
  assert.match(welcome.sid, /^[A-Za-z0-9_-]{21}$/)
  both.close()
  ext.close()
})

test('pings follow ?pi= and ?ptp=', async () => {
  const s = await RawClient.connect(`${env.url}?pi=1`)
  const p1 = await s.next(isPing, 5000)
  const p2 = await s.next(isPing, 5000)
  assert.ok(Number.isInteger(p1.message) && p2.message > p1.message, JSON.stringify([p1, p2]))
  assert.equal(String(p1.message).length, 10)
  const ms = await RawClient.connect(`${env.url}?pi=1&ptp=ms`)
  assert.equal(String((await ms.next(isPing, 5000)).message).length, 13)
  s.close()
  ms.close()
})

test('an extended client that pongs stays; one that goes silent gets no_pong', async () => {
  const good = await RawClient.connect(`${env.url}?pi=1`, ['actioncable-v1-ext-json'])
  good.ws.on('message', (d) => { if (JSON.parse(d.toString()).type === 'ping') good.send({ command: 'pong' }) })
  const silent = await RawClient.connect(`${env.url}?pi=1`, ['actioncable-v1-ext-json'])
  const bye = await silent.next((m) => m.type === 'disconnect', 8000)
  assert.deepEqual(bye, { type: 'disconnect', reason: 'no_pong', reconnect: true })
  assert.equal((await silent.closed).code, 1000)
  good.send({ command: 'ping' })
  assert.deepEqual(await good.next((m) => m.type === 'pong'), { type: 'pong' })
  assert.equal(good.frames.find((m) => m.type === 'disconnect'), undefined)
  good.close()
})

test('bad frames, unknown commands, double subscribes and unknown identifiers get no reply', async () => {
  const c = await RawClient.connect()
  await c.next()
  const id = pubsub('quiet')
  assert.deepEqual(await c.subscribe(id), { type: 'confirm_subscription', identifier: id })
  c.send('{not json')
  c.send('[1,2,3]')
  c.send({ command: 'dance', identifier: id })
  c.send({ command: 'subscribe', identifier: id })
  c.send({ command: 'unsubscribe', identifier: pubsub('never') })
  c.send({ command: 'message', identifier: pubsub('never'), data: '{}' })
  c.send({ command: 'message', identifier: id, data: { not: 'a string' } })
  await c.expectNothing(500)
  assert.equal(await broadcast(publication('quiet', 'still here')), 201)
  assert.deepEqual(await c.next(), { identifier: id, message: 'still here' })
  c.close()
})

test('exclude_socket skips exactly one session', async () => {
  const a = await RawClient.connect(env.url, ['actioncable-v1-ext-json'])
  const b = await RawClient.connect()
  const { sid } = await a.next()
  await b.next()
  const id = pubsub('excl')
  await a.subscribe(id)
  await b.subscribe(id)
  await broadcast(publication('excl', 'not for a', { exclude_socket: sid }))
  assert.deepEqual(await b.next(), { identifier: id, message: 'not for a' })
  await a.expectNothing(500)
  a.close()
  b.close()
})

test('broadcast_type becomes the message type', async () => {
  const c = await RawClient.connect()
  await c.next()
  const id = pubsub('typed')
  await c.subscribe(id)
  await broadcast(publication('typed', { x: 1 }, { broadcast_type: 'note' }))
  assert.deepEqual(await c.next(), { type: 'note', identifier: id, message: { x: 1 } })
  c.close()
})

test('a remote disconnect closes the sessions with those identifiers', async () => {
  const victim = await RawClient.connect(env.url, ['actioncable-v1-ext-json'])
  const bystander = await RawClient.connect()
  const { sid } = await victim.next()
  await bystander.next()
  const status = await broadcast({ command: 'disconnect', payload: { identifier: JSON.stringify({ sid }), reconnect: true } })
  assert.equal(status, 201)
  assert.deepEqual(await victim.next(), { type: 'disconnect', reason: 'remote', reconnect: true })
  assert.equal((await victim.closed).code, 1000)
  bystander.send({ command: 'ping' })
  assert.deepEqual(await bystander.next(), { type: 'pong' })
  bystander.close()
})

test('several paths, health and unknown paths', async () => {
  const tenant = await RawClient.connect(`${env.base}/t/acme/cable`)
  assert.equal((await tenant.next()).type, 'welcome')
  tenant.close()
  const health = await fetch(`http://127.0.0.1:${env.port}/health`)
  assert.equal(health.status, 200)
  assert.match(await health.text(), /stayin' alive/)
  assert.equal((await fetch(`http://127.0.0.1:${env.port}/nope`)).status, 404)
  await assert.rejects(RawClient.connect(`${env.base}/other`), (e) => e.status === 404)
})

test('Turbo and CableReady signed streams are served without RPC', async () => {
  const c = await RawClient.connect()
  await c.next()
  const turbo = JSON.stringify({ channel: 'Turbo::StreamsChannel', signed_stream_name: signStream('posts', 'turbo') })
  const forged = JSON.stringify({ channel: 'Turbo::StreamsChannel', signed_stream_name: signStream('posts', 'cr') })
  const ready = JSON.stringify({ channel: 'CableReady::Stream', identifier: signStream('feed', 'cr') })
  assert.equal((await c.subscribe(turbo)).type, 'confirm_subscription')
  assert.equal((await c.subscribe(forged)).type, 'reject_subscription')
  assert.equal((await c.subscribe(ready)).type, 'confirm_subscription')
  await broadcast(publication('posts', '<turbo-stream action="append"></turbo-stream>'))
  assert.deepEqual(await c.next(), { identifier: turbo, message: '<turbo-stream action="append"></turbo-stream>' })
  c.close()
})

test('an oversized message closes the connection with 1009', async () => {
  const c = await RawClient.connect()
  await c.next()
  c.send({ command: 'message', identifier: pubsub('x'), data: 'x'.repeat(8192) })
  assert.equal((await c.closed).code, 1009)
})

test('closing handshakes: a close without a code is answered without one, a code is echoed', async () => {
  for (const [code, expected] of [[undefined, 1005], [4001, 4001], [1000, 1000]]) {
    const c = await RawClient.connect()
    await c.next()
    c.ws.close(code)
    const closed = await c.closed
    assert.equal(closed.code, expected)
  }
})
