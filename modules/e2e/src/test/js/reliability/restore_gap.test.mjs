// Many sessions restored at once while broadcasts flow (--public --broker=memory; ReliabilityIT):
// every connection goes through a proxy that is cut three times. Raw extended-protocol clients
// (the harness's strict rule: a message at or below the last offset seen is a duplicate and is
// dropped) and @anycable/core clients must each end with every message exactly once, in order.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { broadcast, publication, pubsub, sleep, env } from '../lib/cable.mjs'
import { createProxy } from '../lib/proxy.mjs'
import { StrictClient } from '../lib/strict_client.mjs'

const RAW = Number(process.env.RAW_CLIENTS || 100)
const CORE = Number(process.env.CORE_CLIENTS || 20)
const RATE = 30
const TOTAL = 240
const STREAM = `gap-${Date.now()}`
const IDENTIFIER = pubsub(STREAM)

/** The strict client, reconnecting to the proxy after a cut. */
class GapClient extends StrictClient {
  constructor(url) {
    super(STREAM, IDENTIFIER)
    this.target = url
    this.dropped = 0
    this.open()
  }

  url() {
    return this.target
  }

  closed() {
    setTimeout(() => this.open(), 100 + Math.random() * 200)
  }

  frame(m) {
    if (m.type === 'reject_history') this.rejects++
    super.frame(m)
  }

  duplicate() {
    this.dropped++
  }
}

test('sessions restored together while broadcasts flow miss nothing and see nothing twice', async () => {
  const proxy = await createProxy(() => Number(env.port))
  const url = `ws://127.0.0.1:${proxy.port}/cable`
  const raw = Array.from({ length: RAW }, () => new GapClient(url))
  const core = []
  for (let i = 0; i < CORE; i++) {
    const cable = createCable(`${url}?pi=1`, {
      websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error',
      reconnectStrategy: () => 100 + Math.random() * 200,
    })
    const seen = []
    const channel = cable.streamFrom(STREAM)
    channel.on('message', (m) => seen.push(m.seq))
    core.push({ cable, channel, seen })
  }
  // Everyone subscribed before the first publication.
  await Promise.all(core.map((c) => c.channel.ensureSubscribed()))
  for (let i = 0; i < 200 && raw.some((c) => !c.subscribed); i++) await sleep(50)
  assert.equal(raw.filter((c) => !c.subscribed).length, 0, 'every raw client subscribed within 10 s')

  const publishing = (async () => {
    for (let seq = 1; seq <= TOTAL; seq++) {
      await broadcast(publication(STREAM, { seq }))
      await sleep(1000 / RATE)
    }
  })()
  for (const at of [1500, 2500, 2500]) {
    await sleep(at)
    proxy.cut()
    await sleep(1500)
    proxy.restore()
  }
  await publishing
  const complete = () => raw.every((c) => c.seqs.length >= TOTAL) && core.every((c) => c.seen.length >= TOTAL)
  for (let i = 0; i < 150 && !complete(); i++) await sleep(100)

  const expected = Array.from({ length: TOTAL }, (_, i) => i + 1)
  const rawShort = raw.filter((c) => c.seqs.length !== TOTAL || c.seqs.some((s, i) => s !== i + 1))
  const coreBad = core.filter((c) => c.seen.length !== TOTAL || c.seen.some((s, i) => s !== i + 1))
  console.log(JSON.stringify({
    clients: RAW + CORE,
    rawRestores: raw.reduce((n, c) => n + c.restores, 0),
    rawIncomplete: rawShort.length,
    rawMissing: rawShort.reduce((n, c) => n + (TOTAL - new Set(c.seqs).size), 0),
    rawDroppedAsDuplicates: raw.reduce((n, c) => n + c.dropped, 0),
    rawRejects: raw.reduce((n, c) => n + c.rejects, 0),
    slowestHistoryMs: Math.max(...raw.map((c) => c.slowest)),
    coreWrong: coreBad.length,
    coreDuplicates: core.reduce((n, c) => n + (c.seen.length - new Set(c.seen).size), 0),
    coreOutOfOrder: core.reduce((n, c) => n + c.seen.filter((s, i) => i > 0 && s < c.seen[i - 1]).length, 0),
  }))
  raw.forEach((c) => c.stop())
  core.forEach((c) => c.cable.disconnect())
  proxy.close()
  assert.ok(raw.reduce((n, c) => n + c.restores, 0) >= RAW * 2, 'sessions were restored after the cuts')
  assert.equal(rawShort.length, 0, `raw clients with a gap or a reordering: first ${JSON.stringify(rawShort[0]?.seqs.filter((s, i) => s !== expected[i]).slice(0, 8))}`)
  assert.equal(coreBad.length, 0, `@anycable/core clients with a gap, a duplicate or a reordering: first ${JSON.stringify(coreBad[0]?.seen.slice(0, 3))}`)
})
