// @rails/actioncable (the Rails client) against a server started with --public.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { env, broadcast, publication } from './lib/cable.mjs'

// The Rails client expects a browser: give it the globals it touches.
globalThis.addEventListener ??= () => {}
globalThis.removeEventListener ??= () => {}
globalThis.document ??= { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} }
const ActionCable = await import('@rails/actioncable')
ActionCable.adapters.WebSocket = WebSocket

test('a Rails consumer subscribes to a public stream and receives broadcasts', async () => {
  const consumer = ActionCable.createConsumer(env.url)
  const received = []
  let connected
  const ready = new Promise((resolve) => (connected = resolve))
  let done
  const all = new Promise((resolve) => (done = resolve))
  consumer.subscriptions.create({ channel: '$pubsub', stream_name: 'rails/1' }, {
    connected() { connected() },
    received(data) {
      received.push(data)
      if (received.length === 2) done()
    },
  })
  await ready
  assert.equal(await broadcast(publication('rails/1', { text: 'from rails' })), 201)
  assert.equal(await broadcast(publication('rails/1', 'second')), 201)
  await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`got ${JSON.stringify(received)}`)), 10000))])
  assert.deepEqual(received, [{ text: 'from rails' }, 'second'])
  consumer.disconnect()
})
