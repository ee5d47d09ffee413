// Broadcasts from a Redis Stream (the `redisx` adapter) through the memory broker. Server flags:
// --public --broker=memory --broadcast_adapter=http,redisx --redis_url=redis://127.0.0.1:<REDIS_PORT>
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { env, RawClient, publication, pubsub, sleep } from './lib/cable.mjs'

const redis = (...args) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', process.env.REDIS_PORT, ...args]).toString().trim()
const EXT = ['actioncable-v1-ext-json']

test('XADD ... payload <json>: delivered with a stream position, kept in history, then acknowledged and deleted', async () => {
  // The consumer group is created when the server starts; wait for it.
  for (let i = 0; i < 200 && !redis('XINFO', 'GROUPS', '__anycable__').includes('bx'); i++) await sleep(50)
  const id = pubsub('redisx/1')
  const live = await RawClient.connect(env.url, EXT)
  await live.next()
  await live.subscribe(id)
  redis('XADD', '__anycable__', '*', 'payload', JSON.stringify(publication('redisx/1', { n: 1 })))
  redis('XADD', '__anycable__', '*', 'payload', JSON.stringify([publication('redisx/1', { n: 2 }), publication('redisx/1', { n: 3 })]))
  const got = [await live.next(), await live.next(), await live.next()]
  assert.deepEqual(got.map((m) => m.message.n), [1, 2, 3])
  assert.deepEqual(got.map((m) => m.offset), [1, 2, 3])
  assert.ok(got.every((m) => m.stream_id === 'redisx/1' && m.epoch))
  for (let i = 0; i < 100 && redis('XLEN', '__anycable__') !== '0'; i++) await sleep(50)
  assert.equal(redis('XLEN', '__anycable__'), '0', 'acknowledged and deleted once handled')

  const late = await RawClient.connect(env.url, EXT)
  await late.next()
  late.send({ command: 'subscribe', identifier: id, history: { since: Math.floor(Date.now() / 1000) - 60 } })
  assert.equal((await late.next()).type, 'confirm_subscription')
  const history = [await late.next(), await late.next(), await late.next()]
  assert.deepEqual(history.map((m) => m.message.n), [1, 2, 3])
  assert.deepEqual(await late.next(), { type: 'confirm_history', identifier: id })
  live.close()
  late.close()
})
