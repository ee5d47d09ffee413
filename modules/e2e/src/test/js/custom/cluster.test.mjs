// examples/custom-protocol standalone in a two-node cluster. Node A: `scripts/vertx run
// io.vxcable.examples.pubsub.PubSubVerticle -conf {..., "pubsub_path":"/rooms"} -cluster` (the
// translator only: no broadcast intake, no Action Cable path). Node B: `scripts/anycable --public
// --cluster` (gateway and intake). PUBSUB_URL is on node A; CABLE_URL and BROADCAST_URL on node B.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { env, broadcast, publication, RawClient, pubsub } from '../lib/cable.mjs'
import { PubSubClient } from './lib.mjs'

const PUBSUB_URL = process.env.PUBSUB_URL
const open = []
after(() => open.forEach((c) => c.close()))

/**
 * Repeats `attempt` until `arrived` resolves: the other node learns of a new stream subscriber
 * through the cluster's registry within a moment. Bounded: 50 attempts, 200 ms each.
 */
async function untilCrossed(attempt, arrived) {
  for (let i = 0; i < 50; i++) {
    await attempt()
    try {
      return await arrived(200)
    } catch {
      // not across yet
    }
  }
  throw new Error('nothing crossed the cluster in 50 attempts')
}

test('publications posted to node B reach a custom client on node A, in order', async () => {
  const c = await PubSubClient.connect(PUBSUB_URL)
  open.push(c)
  assert.deepEqual(await c.subscribe('cluster/1'), { event: 'subscribed', stream: 'cluster/1' })
  await untilCrossed(
    async () => assert.equal(await broadcast(publication('cluster/1', 'ready')), 201),
    (ms) => c.nextMessage('cluster/1', ms))
  // Markers still in flight are skipped; the numbered sequence must be complete and in order.
  for (let i = 0; i < 50; i += 10) {
    assert.equal(await broadcast(Array.from({ length: 10 }, (_, j) => publication('cluster/1', { seq: i + j }))), 201)
  }
  const seqs = []
  while (seqs.length < 50) {
    const m = await c.nextMessage('cluster/1', 10000)
    if (m.data !== 'ready') seqs.push(m.data.seq)
  }
  assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i))
})

test('a publish from a custom client on node A reaches an Action Cable client on node B', async () => {
  const ac = await RawClient.connect(env.url)
  open.push(ac)
  await ac.next((m) => m.type === 'welcome')
  const id = pubsub('cluster/typing')
  assert.deepEqual(await ac.subscribe(id), { type: 'confirm_subscription', identifier: id })
  const c = await PubSubClient.connect(PUBSUB_URL)
  open.push(c)
  await c.subscribe('cluster/typing')
  const got = await untilCrossed(
    async () => c.send({ publish: 'cluster/typing', data: { from: 'node A' } }),
    (ms) => ac.next((m) => m.identifier === id, ms))
  assert.deepEqual(got, { identifier: id, message: { from: 'node A' } })
})
