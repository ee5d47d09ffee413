// Broadcasts from NATS (the legacy `nats` adapter) with the official nats.js client.
// Server flags: --public --broadcast_adapter=http,nats --nats_servers=nats://127.0.0.1:<NATS_PORT>
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { connect, StringCodec } from 'nats'
import { createCable } from '@anycable/core'
import { env, publication, sleep } from './lib/cable.mjs'

test('a message on the __anycable__ subject reaches subscribers; batches too', async () => {
  const nc = await connect({ servers: `nats://127.0.0.1:${process.env.NATS_PORT}` })
  const sc = StringCodec()
  const cable = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error' })
  const channel = cable.streamFrom('nats/1')
  const got = []
  channel.on('message', (m) => got.push(m))
  await channel.ensureSubscribed()
  // The adapter subscribes in the background: publish a marker until it lands.
  for (let i = 0; i < 100 && got.length === 0; i++) {
    nc.publish('__anycable__', sc.encode(JSON.stringify(publication('nats/1', 'ready'))))
    await sleep(100)
  }
  got.length = 0
  nc.publish('__anycable__', sc.encode(JSON.stringify([publication('nats/1', { n: 1 }), publication('nats/1', { n: 2 })])))
  nc.publish('__anycable__', sc.encode('garbage that is skipped'))
  nc.publish('__anycable__', sc.encode(JSON.stringify(publication('nats/1', { n: 3 }))))
  for (let i = 0; i < 200 && got.length < 3; i++) await sleep(25)
  assert.deepEqual(got.filter((m) => m !== 'ready'), [{ n: 1 }, { n: 2 }, { n: 3 }])
  await nc.drain()
  cable.disconnect()
})
