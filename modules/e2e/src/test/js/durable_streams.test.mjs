// Durable Streams reads (--ds) with the published @durable-streams/client: catch-up, offset=now,
// long-poll and SSE, JWT authentication, signed streams and gone offsets. Streams are written by
// broadcasting. Server flags: --secret=<SECRET> --norpc --public_streams --broker=memory --ds
// --ds_poll_interval=2 (every read needs a JWT, unsigned streams are public).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DurableStream, stream } from '@durable-streams/client'
import { broadcast, env, publication, signStream, token } from './lib/cable.mjs'

const auth = { 'X-JID': token({ user: 'ds-reader' }) }
let streams = 0
const newStream = () => `chat/ds-${process.pid}-${++streams}`
const urlOf = (name) => `http://127.0.0.1:${env.port}/ds/${name}`

async function publish(name, ...values) {
  assert.equal(await broadcast(values.map((v) => publication(name, v))), 201)
}

async function tail(name) {
  const h = await DurableStream.head({ url: urlOf(name), headers: auth })
  assert.equal(h.exists, true)
  return h.offset
}

/** Collects `count` JSON items of a live read, publishing `values` once it is subscribed. */
async function live(mode, name, values) {
  const res = await stream({ url: urlOf(name), headers: auth, offset: await tail(name), live: mode, json: true })
  const items = []
  const offsets = []
  const done = new Promise((resolve) => {
    res.subscribeJson(async (batch) => {
      items.push(...batch.items)
      if (batch.items.length > 0) offsets.push(batch.offset)
      if (items.length >= values.length) resolve()
    })
  })
  for (const v of values) await publish(name, v)
  await done
  res.cancel()
  return { items, offsets }
}

test('a catch-up read returns every retained message, and its offset reads on from there', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, { n: 1 }, 'two', [3, { three: true }])
  const res = await stream({ url: urlOf(name), headers: auth, offset: '-1', live: false })
  assert.deepEqual(await res.json(), [{ n: 1 }, 'two', [3, { three: true }]])
  assert.equal(res.upToDate, true)
  assert.equal(res.offset, await tail(name))
  await publish(name, { n: 4 })
  const next = await stream({ url: urlOf(name), headers: auth, offset: res.offset, live: false })
  assert.deepEqual(await next.json(), [{ n: 4 }])
})

test('offset=now skips the history and gives the tail', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, 'old')
  const res = await stream({ url: urlOf(name), headers: auth, offset: 'now', live: false })
  assert.deepEqual(await res.json(), [])
  assert.equal(res.offset, await tail(name))
})

test('long-poll reads get every live message once, in order', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, 'before')
  const values = [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }, { i: 5 }]
  const { items, offsets } = await live('long-poll', name, values)
  assert.deepEqual(items, values)
  assert.equal(offsets.at(-1), await tail(name))
})

test('SSE reads get every live message once, in order', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, 'before')
  const values = ['a', { b: [1, 2] }, 3, null, { e: 'é\n' }]
  const { items, offsets } = await live('sse', name, values)
  assert.deepEqual(items, values)
  assert.equal(offsets.at(-1), await tail(name))
})

test('an SSE read from the start gets the history first', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, 1, 2)
  const res = await stream({ url: urlOf(name), headers: auth, offset: '-1', live: 'sse', json: true })
  const items = []
  await new Promise((resolve) => {
    res.subscribeJson(async (batch) => {
      items.push(...batch.items)
      if (items.length === 2) publish(name, 3)
      if (items.length >= 3) resolve()
    })
  })
  res.cancel()
  assert.deepEqual(items, [1, 2, 3])
})

test('signed stream names are accepted in the X-Signed header and the signed parameter', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, 'secret')
  const viaHeader = await stream({ url: urlOf(name), headers: { ...auth, 'X-Signed': signStream(name) }, live: false })
  assert.deepEqual(await viaHeader.json(), ['secret'])
  const viaParam = await stream({ url: urlOf(name), headers: auth, params: { signed: signStream(name) }, live: false })
  assert.deepEqual(await viaParam.json(), ['secret'])
  await assert.rejects(stream({ url: urlOf(name), headers: { ...auth, 'X-Signed': signStream('another') }, live: false }),
    (e) => e.status === 401)
})

test('a read without a token is refused', { timeout: 30_000 }, async () => {
  await assert.rejects(stream({ url: urlOf(newStream()), live: false }), (e) => e.status === 401)
  await assert.rejects(stream({ url: urlOf(newStream()), headers: { 'X-JID': 'forged' }, live: false }),
    (e) => e.status === 401)
})

test('an offset of another epoch is gone', { timeout: 30_000 }, async () => {
  const name = newStream()
  await publish(name, 1)
  await assert.rejects(stream({ url: urlOf(name), headers: auth, offset: '1::zzzz', live: false }), (e) => e.status === 410)
})
