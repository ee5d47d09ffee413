// The service behind --broker (Redis or NATS) restarts while four publishers post into two
// unclustered nodes: once 40 publications are acknowledged (and a second has passed) this test
// writes RESTART_MARKER, PubSubNodesIT restarts the service, and the publishers go on 9 s more.
// Publications that got a 201 must all be in the history afterwards, each once, in one sequence
// of offsets; the ones refused or timed out meanwhile were never acknowledged, and one posted
// after the first failure must be acknowledged again (the service came back). A live subscriber
// gets every acknowledged one once, in order from the first its node saw: what its node missed
// while its pub/sub connection was down comes from the history.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { RawClient, publication, pubsub, sleep } from './lib/cable.mjs'

const EXT = ['actioncable-v1-ext-json']
const A = { url: process.env.CABLE_URL_A, broadcastUrl: process.env.BROADCAST_URL_A }
const B = { url: process.env.CABLE_URL_B, broadcastUrl: process.env.BROADCAST_URL_B }
const BEFORE = 40 // acknowledged publications before the restart
const AFTER_MS = 9000 // publishing after the restart was asked for: past a 5 s timeout, and on
const LIMIT_MS = 30000 // BEFORE not reached by then: a failure, not a hang
const PUBLISHERS = 4

async function post(url, body) {
  try {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(5000) })
    await res.arrayBuffer()
    return res.status
  } catch (e) {
    return e.name
  }
}

test('every acknowledged publication is kept across a restart of the broker service', async () => {
  const stream = `fault-${Date.now()}`
  const id = pubsub(stream)
  const live = await RawClient.connect(B.url, EXT)
  await live.next()
  await live.subscribe(id)
  const acked = []
  const refused = []
  const start = Date.now()
  let restartAt = 0
  let firstFailure = 0
  let recovered = 0
  let n = 0
  const going = () => {
    const now = Date.now()
    if (!restartAt && acked.length >= BEFORE && now - start >= 1000) {
      restartAt = now
      if (process.env.RESTART_MARKER) writeFileSync(process.env.RESTART_MARKER, String(acked.length))
    }
    return restartAt ? now - restartAt < AFTER_MS : now - start < LIMIT_MS
  }
  // Several publishers, as an application has: one that waits out the restart does not stop the others.
  const publisher = async () => {
    while (going()) {
      const mine = ++n
      const sentAt = Date.now()
      const status = await post((mine % 2 ? A : B).broadcastUrl, publication(stream, { n: mine }))
      if (status === 201) {
        acked.push(mine)
        if (firstFailure && sentAt > firstFailure) recovered++
      } else {
        refused.push(`${mine}: ${status}`)
        firstFailure ||= Date.now()
      }
      await sleep(20)
    }
  }
  await Promise.all(Array.from({ length: PUBLISHERS }, publisher))
  assert.ok(restartAt, `publications acknowledged before the restart: ${acked.length} of ${BEFORE} in ${LIMIT_MS} ms`)
  assert.ok(!firstFailure || recovered > 0, `nothing acknowledged after the first failure: ${refused.slice(-3)}`)

  // The whole history, read on A from offset 0 of the epoch the live client saw. The read comes
  // with the subscription, so the server orders it with live broadcasts: a publication the intake
  // stores late (one whose request timed out at its publisher, retried meanwhile) comes once,
  // either in the replay or after it. A history command sent after subscribing would replay one
  // that came live in between a second time, as anycable-go does.
  const first = live.frames.find((m) => m.identifier === id && m.epoch)
  assert.ok(first, 'the live client got stamped broadcasts')
  const reader = await RawClient.connect(A.url, EXT)
  await reader.next()
  await reader.subscribe(id, { history: { streams: { [stream]: { epoch: first.epoch, offset: 0 } } } })
  const replay = []
  for (;;) {
    const m = await reader.next((f) => f.identifier === id && (f.type === 'confirm_history' || f.type === 'reject_history' || f.message))
    if (m.type === 'confirm_history') break
    assert.notEqual(m.type, 'reject_history', JSON.stringify(reader.frames.slice(-3)))
    replay.push(m)
  }
  const kept = replay.map((m) => m.message.n)
  const missing = acked.filter((x) => !kept.includes(x))
  const offsets = replay.map((m) => m.offset)
  console.log(JSON.stringify({ published: n, acknowledged: acked.length, refused: refused.length, recovered, kept: kept.length,
    missing: missing.length, liveOnB: live.frames.filter((m) => m.identifier === id && m.message).length, firstRefusals: refused.slice(0, 3) }))
  assert.deepEqual(missing, [], 'acknowledged but not in the history')
  const offsetsOf = (x) => replay.filter((m) => m.message.n === x).map((m) => m.offset)
  const twice = [...new Set(kept)].filter((x) => offsetsOf(x).length > 1).map((x) => `${x} at offsets ${offsetsOf(x)}`)
  assert.deepEqual(twice, [], 'none stored twice')
  assert.deepEqual(offsets, [...offsets].sort((x, y) => x - y), 'history in offset order')

  // Live on B: every acknowledged publication once, in offset order. What B's node missed while
  // its pub/sub connection was down is read from the history when the next broadcast shows the
  // hole (one more publication shows any hole at the end).
  assert.equal(await post(A.broadcastUrl, publication(stream, { n: 'last' })), 201)
  const liveFrames = () => live.frames.filter((m) => m.identifier === id && m.message)
  const deadline = Date.now() + 10000
  while (Date.now() < deadline && !liveFrames().some((m) => m.message.n === 'last')) await sleep(100)
  const got = liveFrames().map((m) => m.message.n)
  console.log(JSON.stringify({ liveOnB: got.length }))
  assert.deepEqual(acked.filter((x) => !got.includes(x)), [], 'acknowledged but never delivered live on B')
  assert.equal(new Set(got).size, got.length, 'none delivered twice live')
  // In order from the first one B's node saw of the stream. A publication posted to A before it
  // and overtaken on its way (the relay through the service is slower than B's own intake) has no
  // hole to show: it goes out when it comes (broadcast_live_overtaken_total), out of order.
  const liveOffsets = liveFrames().map((m) => m.offset)
  const fromFirst = liveOffsets.filter((o) => o >= liveOffsets[0])
  assert.deepEqual(fromFirst, [...fromFirst].sort((x, y) => x - y), 'live in offset order')
  live.close()
  reader.close()
})
