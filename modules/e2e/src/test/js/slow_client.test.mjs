// Slow clients: --public --ws_max_pending_size=65536. A client that stops reading is disconnected
// with too_slow while the others keep receiving everything in order.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RawClient, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'

test('a stalled reader is dropped and a healthy one gets every message', async () => {
  const id = pubsub('firehose')
  const slow = await RawClient.connect()
  const fast = await RawClient.connect()
  await slow.next()
  await fast.next()
  await slow.subscribe(id)
  await fast.subscribe(id)
  slow.ws._socket.pause() // stop reading: the server's unwritten bytes pile up

  const chunk = 'x'.repeat(50_000)
  const total = 400 // ~20 MB: more than the kernel socket buffers can absorb
  let received = 0
  let lastSeq = -1
  const allReceived = new Promise((resolve, reject) => {
    fast.ws.on('message', (data) => {
      const m = JSON.parse(data.toString())
      if (m.identifier !== id) return
      if (m.message.seq !== lastSeq + 1) reject(new Error(`out of order: ${m.message.seq} after ${lastSeq}`))
      lastSeq = m.message.seq
      if (++received === total) resolve()
    })
  })
  for (let i = 0; i < total; i += 20) {
    const batch = []
    for (let j = i; j < i + 20; j++) batch.push(publication('firehose', { seq: j, chunk }))
    assert.equal(await broadcast(batch), 201)
  }
  await allReceived
  assert.equal(received, total)

  slow.ws._socket.resume()
  const closed = await Promise.race([slow.closed, sleep(15000).then(() => null)])
  assert.ok(closed, 'the slow client was closed')
  const told = slow.frames.find((m) => m.type === 'disconnect')
  if (told) assert.deepEqual(told, { type: 'disconnect', reason: 'too_slow', reconnect: true })
  assert.ok(
    slow.frames.filter((m) => m.identifier === id).length < total,
    'the slow client did not get the whole firehose buffered for it',
  )

  // The server and the healthy client are unaffected.
  const after = fast.next((m) => m.identifier === id && m.message === 'after')
  await broadcast(publication('firehose', 'after'))
  assert.deepEqual(await after, { identifier: id, message: 'after' })
  fast.close()
})
