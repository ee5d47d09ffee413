// examples/custom-protocol mounted on the main port: the server is `scripts/anycable --public
// --max_subscriptions_per_connection=2` with VXCABLE_CLASSPATH pointing at the example's jar.
// PUBSUB_URL is ws://127.0.0.1:<port>/pubsub; CABLE_URL the Action Cable path of the same port.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, broadcast, publication, RawClient, pubsub } from '../lib/cable.mjs'
import { PubSubClient, isPubSubPing } from './lib.mjs'

const PUBSUB_URL = process.env.PUBSUB_URL
const open = []
const connect = async (url = PUBSUB_URL) => {
  const c = await PubSubClient.connect(url)
  open.push(c)
  return c
}
after(() => open.forEach((c) => c.close()))

test('a custom client is welcomed, subscribes and receives a broadcast in its own format', async () => {
  const c = await connect()
  assert.equal(c.welcome.event, 'welcome')
  assert.match(c.welcome.sid, /^[A-Za-z0-9_-]{21}$/)
  assert.deepEqual(await c.subscribe('mounted/1'), { event: 'subscribed', stream: 'mounted/1' })
  assert.equal(await broadcast(publication('mounted/1', { text: 'hi', n: [1, 2] })), 201)
  assert.deepEqual(await c.next(), { event: 'message', stream: 'mounted/1', data: { text: 'hi', n: [1, 2] } })
})

test('an Action Cable client and a custom client on one stream receive the same broadcasts in order', async () => {
  const cable = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error' })
  try {
    const channel = cable.streamFrom('shared/1')
    await channel.ensureSubscribed()
    const viaCable = []
    const allViaCable = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Action Cable got ${viaCable.length}/30`)), 15000)
      channel.on('message', (m) => {
        viaCable.push(m)
        if (viaCable.length === 30) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    const c = await connect()
    assert.deepEqual(await c.subscribe('shared/1'), { event: 'subscribed', stream: 'shared/1' })
    // Every payload shape, in batches of ten and one by one.
    const sent = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? { seq: i } : i % 3 === 1 ? `text ${i}` : i))
    assert.equal(await broadcast(sent.slice(0, 10).map((d) => publication('shared/1', d))), 201)
    assert.equal(await broadcast(sent.slice(10, 20).map((d) => publication('shared/1', d))), 201)
    for (const d of sent.slice(20)) assert.equal(await broadcast(publication('shared/1', d)), 201)
    const viaPubSub = await c.messages('shared/1', 30, 15000)
    await allViaCable
    assert.deepEqual(viaPubSub, sent)
    assert.deepEqual(viaCable, sent)
  } finally {
    cable.disconnect()
  }
})

test('a publish from a custom client reaches the other subscribers of both protocols, not the sender', async () => {
  const ac = await RawClient.connect(env.url)
  open.push(ac)
  await ac.next((m) => m.type === 'welcome')
  const id = pubsub('typing/1')
  assert.deepEqual(await ac.subscribe(id), { type: 'confirm_subscription', identifier: id })
  const sender = await connect()
  const peer = await connect()
  await sender.subscribe('typing/1')
  await peer.subscribe('typing/1')
  sender.send({ publish: 'typing/1', data: { typing: true, who: 'sender' } })
  assert.deepEqual(await peer.next(), { event: 'message', stream: 'typing/1', data: { typing: true, who: 'sender' } })
  assert.deepEqual(await ac.next(), { identifier: id, message: { typing: true, who: 'sender' } })
  // The sender is excluded: the next thing it receives on the stream is a later broadcast.
  assert.equal(await broadcast(publication('typing/1', 'after the publish')), 201)
  assert.deepEqual(await sender.next(), { event: 'message', stream: 'typing/1', data: 'after the publish' })
})

test('the engine enforces its limits, unsubscribes free a slot, and bad frames are dropped', async () => {
  const c = await connect()
  assert.deepEqual(await c.subscribe('cap/a'), { event: 'subscribed', stream: 'cap/a' })
  assert.deepEqual(await c.subscribe('cap/b'), { event: 'subscribed', stream: 'cap/b' })
  assert.deepEqual(await c.subscribe('cap/c'), { event: 'rejected', stream: 'cap/c' })
  c.send('not json')
  c.send({ dance: 'cap/a' })
  c.send({ subscribe: 42 })
  c.send({ unsubscribe: 'cap/a' })
  assert.deepEqual(await c.subscribe('cap/c'), { event: 'subscribed', stream: 'cap/c' })
  assert.equal(await broadcast([publication('cap/a', 'not any more'), publication('cap/c', 'marker')]), 201)
  assert.deepEqual(await c.next(), { event: 'message', stream: 'cap/c', data: 'marker' })
  assert.deepEqual(c.raw.frames.filter((m) => !isPubSubPing(m)), [], 'nothing else arrived')
})

test('the engine pings custom clients in their format (?pi=1)', async () => {
  const c = await connect(`${PUBSUB_URL}?pi=1`)
  const ping = await c.raw.next(isPubSubPing, 5000)
  assert.deepEqual(Object.keys(ping), ['event', 'at'])
  assert.ok(Number.isInteger(ping.at) && Math.abs(ping.at - Date.now() / 1000) < 60, JSON.stringify(ping))
})
