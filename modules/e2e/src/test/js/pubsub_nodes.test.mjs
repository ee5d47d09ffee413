// Unclustered nodes made one server by the pub/sub bridge (PubSubNodesIT): two processes, each
// with --public and --pubsub (set or automatic), no Hazelcast. SHARED=1: both use one Redis or
// NATS broker (--broker=redis|nats), so offsets, epoch, sessions and presence are shared too.
// PHASE=restarted: both nodes were restarted since PHASE=first ran; history must still be there.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createConnection } from 'node:net'
import { RawClient, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'

const EXT = ['actioncable-v1-ext-json']
const A = { url: process.env.CABLE_URL_A, broadcastUrl: process.env.BROADCAST_URL_A }
const B = { url: process.env.CABLE_URL_B, broadcastUrl: process.env.BROADCAST_URL_B }
const SHARED = process.env.SHARED === '1'
const PHASE = process.env.PHASE || 'first'
const STREAM = process.env.STREAM || 'kept'
const ROUNDS = 10
// With REDISX_PORT, publications also enter through the Redis stream of the redisx adapter.
const REDISX_PORT = Number(process.env.REDISX_PORT || 0)
const XADDS = REDISX_PORT ? 4 : 0

/** XADD __anycable__ * payload <body>, in RESP over a plain socket (no Redis client needed). */
function xadd(body) {
  const args = ['XADD', '__anycable__', '*', 'payload', JSON.stringify(body)]
  const resp = `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')
  return new Promise((resolve, reject) => {
    const socket = createConnection(REDISX_PORT, '127.0.0.1', () => socket.write(resp))
    socket.once('data', (d) => { socket.end(); d.toString().startsWith('$') ? resolve() : reject(new Error(d.toString())) })
    socket.once('error', reject)
  })
}

async function subscribed(url, stream) {
  const c = await RawClient.connect(url, EXT)
  const welcome = await c.next()
  await c.subscribe(pubsub(stream))
  return { c, sid: welcome.sid }
}

/** The `n` broadcasts of `stream` a client received, waiting up to 10 s for them. */
async function broadcasts(client, stream, n) {
  const got = []
  while (got.length < n) got.push(await client.next((m) => m.identifier === pubsub(stream) && m.message && m.message.n !== undefined))
  await client.expectNothing(300, (m) => m.identifier === pubsub(stream) && m.message && m.message.n !== undefined && !got.includes(m))
  return got
}

test('a publication entering either node reaches the clients of both, once', { skip: PHASE !== 'first' }, async () => {
  const stream = `both-${Date.now()}`
  const { c: onA } = await subscribed(A.url, stream)
  const { c: onB } = await subscribed(B.url, stream)
  for (let i = 1; i <= ROUNDS; i++) {
    // Odd numbers enter A, even ones B; each node's own come out in order.
    await broadcast(publication(stream, { n: 2 * i - 1 }), { url: A.broadcastUrl })
    await broadcast(publication(stream, { n: 2 * i }), { url: B.broadcastUrl })
  }
  for (let i = 1; i <= XADDS; i++) await xadd(publication(stream, { n: 2 * ROUNDS + i }))
  const total = 2 * ROUNDS + XADDS
  for (const [name, client] of [['A', onA], ['B', onB]]) {
    const got = await broadcasts(client, stream, total)
    const ns = got.map((m) => m.message.n)
    assert.deepEqual([...ns].sort((x, y) => x - y), Array.from({ length: total }, (_, i) => i + 1), `node ${name}: each once`)
    const httpA = ns.filter((n) => n <= 2 * ROUNDS && n % 2 === 1)
    const httpB = ns.filter((n) => n <= 2 * ROUNDS && n % 2 === 0)
    assert.deepEqual(httpA, [...httpA].sort((x, y) => x - y), `node ${name}: A's in order`)
    assert.deepEqual(httpB, [...httpB].sort((x, y) => x - y), `node ${name}: B's in order`)
    if (SHARED) {
      assert.deepEqual(got.map((m) => m.offset).sort((x, y) => x - y), Array.from({ length: total }, (_, i) => i + 1),
        `node ${name}: one shared sequence of offsets`)
      assert.equal(new Set(got.map((m) => m.epoch)).size, 1, `node ${name}: one epoch`)
    }
  }
  onA.close()
  onB.close()
})

test('a remote command entering one node reaches a session on the other', { skip: PHASE !== 'first' }, async () => {
  const { c, sid } = await subscribed(B.url, `cmd-${Date.now()}`)
  // A --public session's identifiers are its sid.
  await broadcast({ command: 'disconnect', payload: { identifier: JSON.stringify({ sid }), reconnect: false } }, { url: A.broadcastUrl })
  assert.deepEqual(await c.next((m) => m.type === 'disconnect'), { type: 'disconnect', reason: 'remote', reconnect: false })
  await c.closed
})

test('a session opened on one node is restored on the other', { skip: !SHARED || PHASE !== 'first' }, async () => {
  const stream = `moved-${Date.now()}`
  const { c: first, sid } = await subscribed(A.url, stream)
  first.close()
  await first.closed
  let welcome = null
  for (let i = 0; i < 50 && !(welcome && welcome.restored); i++) {
    if (i > 0) await sleep(100) // the snapshot is written asynchronously
    const moved = await RawClient.connect(`${B.url}?sid=${sid}`, EXT)
    welcome = await moved.next()
    if (welcome.restored) {
      assert.deepEqual(welcome.restored_ids, [pubsub(stream)])
      moved.send({ command: 'history', identifier: pubsub(stream), history: {} }) // as @anycable/core does after a restore
      await broadcast(publication(stream, { n: 1 }), { url: A.broadcastUrl })
      assert.equal((await moved.next((m) => m.message && m.message.n === 1)).message.n, 1)
    }
    moved.close()
  }
  assert.equal(welcome.restored, true)
})

test('presence joined on one node is seen from the other', { skip: !SHARED || PHASE !== 'first' }, async () => {
  const stream = `room-${Date.now()}`
  const id = pubsub(stream)
  const { c: watcher } = await subscribed(B.url, stream)
  const { c: alice } = await subscribed(A.url, stream)
  alice.send({ command: 'join', identifier: id, presence: { id: 'alice', info: { name: 'Alice' } } })
  assert.deepEqual((await watcher.next((m) => m.type === 'presence')).message, { type: 'join', id: 'alice', info: { name: 'Alice' } })
  watcher.send({ command: 'presence', identifier: id, data: {} })
  assert.deepEqual((await watcher.next((m) => m.type === 'presence' && m.message.type === 'info')).message,
    { type: 'info', total: 1, records: [{ info: { name: 'Alice' }, id: 'alice' }] })
  alice.send({ command: 'leave', identifier: id })
  assert.deepEqual((await watcher.next((m) => m.type === 'presence' && m.message.type === 'leave')).message, { type: 'leave', id: 'alice' })
  alice.close()
  watcher.close()
})

test('history is kept in the broker: published before, read after every node restarted', { skip: !SHARED }, async () => {
  if (PHASE === 'first') {
    const { c } = await subscribed(A.url, STREAM)
    for (let n = 1; n <= 5; n++) await broadcast(publication(STREAM, { n }), { url: B.broadcastUrl })
    const got = await broadcasts(c, STREAM, 5)
    console.log(JSON.stringify({ epoch: got[0].epoch, offsets: got.map((m) => m.offset) }))
    c.close()
    return
  }
  const { c } = await subscribed(B.url, `${STREAM}-other`)
  const id = pubsub(STREAM)
  await c.subscribe(id)
  c.send({ command: 'history', identifier: id, history: { streams: { [STREAM]: { epoch: process.env.EPOCH, offset: 0 } } } })
  const replay = []
  for (;;) {
    const m = await c.next((f) => f.identifier === id && (f.type === 'confirm_history' || f.type === 'reject_history' || f.message))
    if (m.type === 'confirm_history') break
    assert.notEqual(m.type, 'reject_history', `history after the restart: ${JSON.stringify(c.frames)}`)
    replay.push(m)
  }
  assert.deepEqual(replay.map((m) => m.message.n), [1, 2, 3, 4, 5])
  assert.ok(replay.every((m) => m.epoch === process.env.EPOCH), 'the epoch survived the restart of every node')
  c.close()
})
