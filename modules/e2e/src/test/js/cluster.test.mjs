// Gateway and broadcast intake in two processes joined by the Hazelcast-clustered event bus.
// BROADCAST_URL points at the intake process; CABLE_URL at the gateway process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, broadcast, publication, sleep } from './lib/cable.mjs'

test('broadcasts accepted by one process reach subscribers of another, in order', async () => {
  const cable = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error' })
  const channel = cable.streamFrom('cluster/1')
  await channel.ensureSubscribed()
  const got = []
  channel.on('message', (m) => got.push(m))
  // The gateway's shard registration reaches the intake's view of the cluster registry within
  // a moment: publish a marker until it lands, then check a numbered sequence.
  for (let i = 0; i < 50 && got.length === 0; i++) {
    assert.equal(await broadcast(publication('cluster/1', 'ready')), 201)
    await sleep(200)
  }
  assert.ok(got.length > 0, 'the first broadcast crossed the cluster')
  got.length = 0
  for (let i = 0; i < 100; i += 10) {
    const batch = Array.from({ length: 10 }, (_, j) => publication('cluster/1', { seq: i + j }))
    assert.equal(await broadcast(batch), 201)
  }
  for (let t = 0; t < 100 && got.length < 100; t++) await sleep(100)
  assert.deepEqual(got.filter((m) => m !== 'ready').map((m) => m.seq), Array.from({ length: 100 }, (_, i) => i))
  cable.disconnect()
})
