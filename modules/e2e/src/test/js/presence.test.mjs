// Presence and the REST API. Server flags: --public --broker=memory --presence_ttl=2
// (the REST API is on the main port: --public turns it on without a secret).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, RawClient, pubsub, sleep } from './lib/cable.mjs'

const api = `http://127.0.0.1:${env.port}/api`
const EXT = ['actioncable-v1-ext-json']

function cable() {
  return createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error', lazy: false, protocol: 'actioncable-v1-ext-json' })
}

/** Collects a channel's presence join and leave events (info replies are presence events too). */
function events(channel) {
  const seen = []
  channel.on('presence', (m) => (m.type === 'join' || m.type === 'leave') && seen.push(m))
  return seen
}

async function until(check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (check()) return
    await sleep(25)
  }
  assert.fail('condition not met in time')
}

test('@anycable/core: join is seen by every subscriber including the joiner, info lists the records', async () => {
  const alice = cable()
  const bob = cable()
  const a = alice.streamFrom('room/1')
  const b = bob.streamFrom('room/1')
  await Promise.all([a.ensureSubscribed(), b.ensureSubscribed()])
  const seenByA = events(a)
  const seenByB = events(b)
  await a.presence.join('alice', { name: 'Alice' })
  await until(() => seenByA.length === 1 && seenByB.length === 1)
  assert.deepEqual(seenByB[0], { type: 'join', id: 'alice', info: { name: 'Alice' } })
  assert.deepEqual(seenByA[0], seenByB[0])
  assert.deepEqual(await b.presence.info(), { alice: { name: 'Alice' } })

  const res = await fetch(`${api}/presence/room%2F1/users`)
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/json')
  assert.deepEqual(await res.json(), { type: 'info', total: 1, records: [{ id: 'alice', info: { name: 'Alice' } }] })

  await a.presence.leave()
  await until(() => seenByB.length === 2)
  assert.deepEqual(seenByB[1], { type: 'leave', id: 'alice' })
  alice.disconnect()
  bob.disconnect()
})

test('one record per id: a second session makes no join, and leave waits for the last session and the TTL', async () => {
  const watcher = await RawClient.connect(env.url, EXT)
  await watcher.next()
  const id = pubsub('room/2')
  await watcher.subscribe(id)
  const tabs = []
  for (const name of ['first tab', 'second tab']) {
    const tab = await RawClient.connect(env.url, EXT)
    await tab.next()
    // subscribe with a presence object: a join after the confirmation
    await tab.subscribe(id, { presence: { id: 'bart', info: { tab: name } } })
    tabs.push(tab)
  }
  const join = await watcher.next((m) => m.type === 'presence')
  assert.deepEqual(join, { type: 'presence', identifier: id, message: { type: 'join', id: 'bart', info: { tab: 'first tab' } } })
  await watcher.expectNothing(500, (m) => m.type === 'presence')

  // The latest info wins.
  watcher.send({ command: 'presence', identifier: id, data: {} })
  assert.deepEqual(await watcher.next((m) => m.type === 'presence'),
    { type: 'presence', identifier: id, message: { type: 'info', total: 1, records: [{ info: { tab: 'second tab' }, id: 'bart' }] } })
  watcher.send({ command: 'presence', identifier: id, data: { return_records: false } })
  assert.deepEqual(await watcher.next((m) => m.type === 'presence'),
    { type: 'presence', identifier: id, message: { type: 'info', total: 1 } })

  tabs[0].close()
  await watcher.expectNothing(2600, (m) => m.type === 'presence')
  const closedAt = Date.now()
  tabs[1].close()
  const leave = await watcher.next((m) => m.type === 'presence')
  assert.deepEqual(leave, { type: 'presence', identifier: id, message: { type: 'leave', id: 'bart' } })
  assert.ok(Date.now() - closedAt >= 1000, 'the record outlives the session for about presence_ttl')
  watcher.close()
})

test('a connected session keeps its presence past the TTL (keep-alive on every protocol)', async () => {
  const plain = await RawClient.connect(env.url, ['actioncable-v1-json'])
  await plain.next()
  const id = pubsub('room/3')
  await plain.subscribe(id)
  plain.send({ command: 'join', identifier: id, presence: { id: 'lisa', info: 'Lisa' } })
  assert.equal((await plain.next((m) => m.type === 'presence')).message.type, 'join')
  await plain.expectNothing(4500, (m) => m.type === 'presence')
  const res = await fetch(`${api}/presence/room%2F3/users`)
  assert.deepEqual(await res.json(), { type: 'info', total: 1, records: [{ info: 'Lisa', id: 'lisa' }] })
  // Unsubscribing leaves at once.
  const watcher = await RawClient.connect(env.url, EXT)
  await watcher.next()
  await watcher.subscribe(id)
  plain.send({ command: 'unsubscribe', identifier: id })
  assert.deepEqual((await watcher.next((m) => m.type === 'presence')).message, { type: 'leave', id: 'lisa' })
  plain.close()
  watcher.close()
})

test('a session cannot hold two ids on one stream; unknown streams have no records', async () => {
  const c = await RawClient.connect(env.url, EXT)
  await c.next()
  const id = pubsub('room/4')
  await c.subscribe(id)
  c.send({ command: 'join', identifier: id, presence: { id: 'one' } })
  assert.deepEqual((await c.next((m) => m.type === 'presence')).message, { type: 'join', id: 'one' })
  c.send({ command: 'join', identifier: id, presence: { id: 'two' } })
  await c.expectNothing(500, (m) => m.type === 'presence')
  const unknown = await fetch(`${api}/presence/nobody-here/users`)
  assert.deepEqual(await unknown.json(), { type: 'info', total: 0 })
  c.close()
})

test('REST API: publish reaches subscribers, wrong methods and paths are refused', async () => {
  const c = await RawClient.connect(env.url)
  await c.next()
  const id = pubsub('api/1')
  await c.subscribe(id)
  const res = await fetch(`${api}/publish`, { method: 'POST', body: JSON.stringify({ stream: 'api/1', data: JSON.stringify({ via: 'api' }) }) })
  assert.equal(res.status, 201)
  const got = await c.next()
  assert.deepEqual([got.identifier, got.message], [id, { via: 'api' }])
  assert.equal((await fetch(`${api}/publish`)).status, 422)
  assert.equal((await fetch(`${api}/presence/x/users`, { method: 'POST' })).status, 422)
  assert.equal((await fetch(`${api}/nothing`)).status, 404)
  c.close()
})
