// Broadcasts from Redis pub/sub (the legacy `redis` adapter) with the official client.
// Server flags: --public --broadcast_adapter=http,redis --redis_url=redis://127.0.0.1:<REDIS_PORT>
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { broadcast, env, publication, sleep } from './lib/cable.mjs'

const redis = (...args) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', process.env.REDIS_PORT, ...args]).toString().trim()

test('PUBLISH __anycable__ reaches subscribers, batches too, and HTTP still works', async () => {
  const cable = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error' })
  const channel = cable.streamFrom('redis/1')
  const got = []
  channel.on('message', (m) => got.push(m))
  await channel.ensureSubscribed()
  // The adapter subscribes in the background: wait until Redis counts a subscriber.
  for (let i = 0; i < 200 && redis('PUBSUB', 'NUMSUB', '__anycable__').split('\n')[1] !== '1'; i++) await sleep(50)
  assert.equal(redis('PUBLISH', '__anycable__', JSON.stringify(publication('redis/1', { n: 1 }))), '1')
  redis('PUBLISH', '__anycable__', 'garbage that is skipped')
  redis('PUBLISH', '__anycable__', JSON.stringify([publication('redis/1', { n: 2 }), publication('redis/1', { n: 3 })]))
  assert.equal(await broadcast(publication('redis/1', { n: 4 })), 201)
  for (let i = 0; i < 200 && got.length < 4; i++) await sleep(25)
  assert.deepEqual(got, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])
  cable.disconnect()
})
