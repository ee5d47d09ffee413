// A rolling restart of a 3-node symmetric cluster under load (ReliabilityIT starts, stops and
// relaunches the nodes; every node drains slowly with --shutdown_slowdrain). This file runs the
// clients and the publisher, and talks with the Java side through files in CONTROL_DIR:
//   ready       written here once every client is subscribed and the first publication is accepted
//   avoid       written by Java: the index of the node about to be stopped (the publisher leaves it)
//   avoid-ack   written here once no publication to that node is in flight any more
//   done        written by Java after the third node is back: publish 2 s more, then check
//   abort       written by Java when it gave up: stop at once
// Raw extended-protocol clients (the strict rule of restore_gap.test.mjs: a message at or below the
// last offset seen is a duplicate and is dropped, and counted) reconnect to the NEXT node with
// ?sid=; @anycable/core clients move to the next node on every connection attempt. Every
// accepted publication must reach every client exactly once, in order; every client must have been
// disconnected by a drain and come back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { pubsub, publication, sleep } from '../lib/cable.mjs'
import { StrictClient } from '../lib/strict_client.mjs'

const CABLE_URLS = process.env.CABLE_URLS.split(',')
const PUBLISH_URLS = process.env.PUBLISH_URLS.split(',')
const KEY = process.env.BROADCAST_KEY || ''
const CONTROL_DIR = process.env.CONTROL_DIR
const RAW = Number(process.env.RAW_CLIENTS || 150)
const CORE = Number(process.env.CORE_CLIENTS || 15)
const RATE = 20
const DONE_WITHIN_MS = Number(process.env.DONE_WITHIN_MS || 200000)
const STREAM = `rolling-${Date.now()}`
const IDENTIFIER = pubsub(STREAM)
const NODES = 'ABC'

const control = (name) => join(CONTROL_DIR, name)
const readControl = (name) => (existsSync(control(name)) ? readFileSync(control(name), 'utf8').trim() : null)
/** Written whole (a rename), so the other side never reads half a file. */
function writeControl(name, text) {
  writeFileSync(control(`${name}.tmp`), text)
  renameSync(control(`${name}.tmp`), control(name))
}

/** Server-side disconnects seen by the clients: node index -> arrival times (ms since epoch). */
const drains = new Map()
function drained(node, reason) {
  if (reason !== 'server_restart') return
  if (!drains.has(node)) drains.set(node, [])
  drains.get(node).push(Date.now())
}

/** The strict client (lib/strict_client.mjs), moving to the next node on every close. */
class RollingClient extends StrictClient {
  constructor(node) {
    super(STREAM, IDENTIFIER)
    this.node = node
    this.wireDuplicates = 0
    this.epochChanges = 0
    this.refused = 0
    this.disconnects = 0
    this.recent = []
    this.anomalies = []
    this.open()
  }

  url() {
    return CABLE_URLS[this.node]
  }

  failed(ws) {
    if (ws.readyState !== WebSocket.OPEN && !this.stopped) this.refused++
  }

  closed() {
    this.node = (this.node + 1) % CABLE_URLS.length
    setTimeout(() => { if (!this.stopped) this.open() }, 100 + Math.random() * 300)
  }

  frame(m) {
    if (m.type === 'ping') return
    this.recent.push(`${Date.now() - this.welcomedAt}ms ${NODES[this.node]} ${m.type || `n=${m.message?.n} o=${m.offset}`}`)
    if (this.recent.length > 12) this.recent.shift()
    if (m.type === 'disconnect') {
      this.disconnects++
      drained(this.node, m.reason)
      return
    }
    if (m.type === 'reject_history' || m.type === 'reject_subscription') this.rejects++
    super.frame(m)
  }

  sequence(m) {
    return m.message.n
  }

  duplicate(m) {
    this.wireDuplicates++
    if (this.anomalies.length < 3) this.anomalies.push({ n: m.message.n, offset: m.offset, last: this.position.offset, welcomes: this.welcomes, restores: this.restores, recent: [...this.recent] })
  }

  epochChanged() {
    this.epochChanges++
  }
}

/** @anycable/core with its URL moved to the next node before every connection attempt (not the first). */
function coreClient(start) {
  let node = start
  const c = { seqs: [], connects: 0, restores: 0, disconnects: 0, connectedAt: 0, anomalies: [], recent: [] }
  c.cable = createCable(CABLE_URLS[node], {
    websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error',
    reconnectStrategy: () => 100 + Math.random() * 300,
    transportConfigurator: (transport, { initial }) => {
      if (initial) return
      node = (node + 1) % CABLE_URLS.length
      const next = new URL(transport.url)
      next.host = new URL(CABLE_URLS[node]).host
      transport.setURL(next.toString())
    },
  })
  c.cable.on('connect', (ev) => {
    c.connects++
    c.connectedAt = Date.now()
    if (ev.restored) c.restores++
    c.recent.push(`connect ${NODES[node]} restored=${ev.restored}`)
  })
  c.cable.on('disconnect', (ev) => { c.disconnects++; drained(node, ev?.reason) })
  c.channel = c.cable.streamFrom(STREAM)
  c.channel.on('message', (m, meta) => {
    c.recent.push(`${Date.now() - c.connectedAt}ms n=${m.n} o=${meta?.offset}`)
    if (c.recent.length > 12) c.recent.shift()
    if (c.seqs.length > 0 && m.n <= c.seqs.at(-1) && c.anomalies.length < 3) c.anomalies.push({ n: m.n, last: c.seqs.at(-1), connects: c.connects, recent: [...c.recent] })
    c.seqs.push(m.n)
  })
  return c
}

/** What a client received against what was accepted: missing ones, duplicates, steps backwards, strangers. */
function check(seqs, accepted, uncertain) {
  const seen = new Set(seqs)
  const sent = new Set(accepted)
  return {
    missing: accepted.filter((n) => !seen.has(n)).length,
    duplicates: seqs.length - seen.size,
    outOfOrder: seqs.filter((n, i) => i > 0 && n <= seqs[i - 1]).length,
    unexpected: seqs.filter((n) => !sent.has(n) && !uncertain.has(n)).length,
  }
}

test('a rolling restart with slow drains loses nothing, repeats nothing and reorders nothing', { timeout: DONE_WITHIN_MS + 40000 }, async () => {
  const started = Date.now()
  const raw = Array.from({ length: RAW }, (_, i) => new RollingClient(i % CABLE_URLS.length))
  const core = Array.from({ length: CORE }, (_, i) => coreClient(i % CABLE_URLS.length))
  const subscribedBy = Date.now() + 30000
  await Promise.all(core.map((c) => Promise.race([c.channel.ensureSubscribed(), sleep(30000)])))
  while (Date.now() < subscribedBy && raw.some((c) => !c.subscribed)) await sleep(50)
  assert.equal(raw.filter((c) => !c.subscribed).length, 0, 'every raw client subscribed within 30 s')
  assert.equal(core.filter((c) => c.channel.state !== 'connected').length, 0, 'every @anycable/core client subscribed within 30 s')

  // The publisher: one publication at a time to the first node not avoided. A publication is sent
  // to another node only when the connection was refused (it never reached a server).
  const accepted = []
  const uncertain = new Set()
  const failures = []
  let attempts = 0
  const slowest = { ms: 0, n: 0, sent: null }
  let avoid = -1
  let stopAt = Infinity
  let aborted = false
  const publishing = (async () => {
    const t0 = Date.now()
    for (let n = 1; Date.now() < stopAt && !aborted; n++) {
      const wanted = readControl('avoid')
      if (wanted !== null && Number(wanted) !== avoid) {
        avoid = Number(wanted)
        writeControl('avoid-ack', String(avoid))
      }
      const targets = PUBLISH_URLS.map((_, i) => i).filter((i) => i !== avoid)
      attempts++
      for (const i of targets) {
        const sentAt = Date.now()
        try {
          const res = await fetch(PUBLISH_URLS[i], {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...(KEY ? { Authorization: `Bearer ${KEY}` } : {}) },
            body: JSON.stringify(publication(STREAM, { n })),
            signal: AbortSignal.timeout(5000),
          })
          await res.arrayBuffer()
          if (Date.now() - sentAt > slowest.ms) Object.assign(slowest, { ms: Date.now() - sentAt, n, sent: new Date(sentAt).toISOString() })
          if (res.status === 201) accepted.push(n)
          else {
            uncertain.add(n)
            failures.push(`${n} to ${NODES[i]}: HTTP ${res.status} at ${Date.now() - started} ms`)
          }
          break
        } catch (e) {
          failures.push(`${n} to ${NODES[i]}: ${e.cause?.code || e.name} at ${Date.now() - started} ms`)
          if (e.cause?.code === 'ECONNREFUSED') continue
          uncertain.add(n)
          break
        }
      }
      if (accepted.length === 1 && !existsSync(control('ready'))) writeControl('ready', 'ready')
      const due = t0 + n * (1000 / RATE)
      if (due > Date.now()) await sleep(due - Date.now())
    }
  })()

  // Until the Java side is done with the three nodes (bounded), then 2 s more of publications.
  const doneBy = started + DONE_WITHIN_MS
  while (Date.now() < doneBy && !existsSync(control('done')) && !existsSync(control('abort'))) await sleep(100)
  const finished = existsSync(control('done'))
  if (finished) stopAt = Date.now() + 2000
  else aborted = true
  await publishing

  const whole = (seqs) => { const seen = new Set(seqs); return accepted.every((n) => seen.has(n)) }
  const catchUpBy = Date.now() + 15000
  while (finished && Date.now() < catchUpBy && ![...raw, ...core].every((c) => whole(c.seqs))) await sleep(100)

  const results = [...raw, ...core].map((c) => check(c.seqs, accepted, uncertain))
  const sum = (list, f) => list.reduce((n, x) => n + f(x), 0)
  const counts = [...raw, ...core].map((c) => c.seqs.length)
  const spread = Object.fromEntries([...drains.entries()].sort(([a], [b]) => a - b).map(([node, times]) => [NODES[node], {
    disconnects: times.length, spreadMs: Math.max(...times) - Math.min(...times),
  }]))
  const lazy = [...raw.filter((c) => c.welcomes < 2), ...core.filter((c) => c.connects < 2)]
  const figures = {
    clients: RAW + CORE,
    raw: RAW,
    core: CORE,
    publications: attempts,
    accepted: accepted.length,
    failures: failures.length,
    uncertain: uncertain.size,
    reconnects: sum(raw, (c) => c.welcomes - 1) + sum(core, (c) => c.connects - 1),
    restored: sum(raw, (c) => c.restores) + sum(core, (c) => c.restores),
    rawRestored: sum(raw, (c) => c.restores),
    refusedAttempts: sum(raw, (c) => c.refused),
    neverReconnected: lazy.length,
    minPerClient: Math.min(...counts),
    maxPerClient: Math.max(...counts),
    missing: sum(results, (r) => r.missing),
    duplicates: sum(results, (r) => r.duplicates),
    rawWireDuplicates: sum(raw, (c) => c.wireDuplicates),
    outOfOrder: sum(results, (r) => r.outOfOrder),
    unexpected: sum(results, (r) => r.unexpected),
    epochChanges: sum(raw, (c) => c.epochChanges),
    rejects: sum(raw, (c) => c.rejects),
    slowestHistoryMs: Math.max(...raw.map((c) => c.slowest)),
    slowestPublication: slowest,
    drains: spread,
    seconds: Math.round((Date.now() - started) / 1000),
  }
  console.log(JSON.stringify(figures))
  // What the first clients that saw a message twice or out of order received last (to find why).
  for (const [kind, list] of [['raw', raw], ['core', core]]) {
    const anomalies = list.flatMap((c) => c.anomalies)
    if (anomalies.length) console.log(`first ${kind} anomalies (of ${anomalies.length}): ${JSON.stringify(anomalies.slice(0, 4))}`)
  }
  raw.forEach((c) => c.stop())
  core.forEach((c) => c.cable.disconnect())

  assert.ok(finished, `the Java side did not finish the rolling restart within ${DONE_WITHIN_MS} ms (or aborted)`)
  assert.deepEqual(failures.slice(0, 10), [], 'every publication was accepted by the node it was sent to')
  assert.ok(accepted.length >= RATE * 10, `${accepted.length} publications accepted`)
  const firstBad = [...raw, ...core].find((c, i) => results[i].missing + results[i].duplicates + results[i].outOfOrder + results[i].unexpected > 0)
  assert.equal(figures.missing, 0, `accepted publications never delivered; first client missing ${JSON.stringify(accepted.filter((n) => !new Set(firstBad?.seqs).has(n)).slice(0, 10))}`)
  assert.equal(figures.duplicates + figures.rawWireDuplicates, 0, 'publications delivered twice (raw: at or below the last offset seen)')
  assert.equal(figures.outOfOrder, 0, `publications out of order; first ${JSON.stringify(firstBad?.seqs.filter((n, i) => i > 0 && n <= firstBad.seqs[i - 1]).slice(0, 10))}`)
  assert.equal(figures.unexpected, 0, 'publications never sent, or refused, were delivered')
  assert.equal(lazy.length, 0, 'every client was drained and reconnected at least once')
  const rawReconnects = sum(raw, (c) => c.welcomes - 1)
  assert.equal(figures.rawRestored, rawReconnects, 'every raw client that came back with ?sid= on another node was restored')
  assert.deepEqual(Object.keys(spread), ['A', 'B', 'C'], 'every node drained its clients')
  for (const [node, d] of Object.entries(spread)) assert.ok(d.spreadMs >= 1000, `node ${node} drained its clients slowly: ${d.spreadMs} ms`)
})
