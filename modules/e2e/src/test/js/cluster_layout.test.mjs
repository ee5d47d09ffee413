// The 3-node layout of docs/cluster.md, as separate processes joined by Hazelcast: gateways A and B
// (`vertx run gateway -cluster`), and a state node C (`vertx run bundle` with the broker, presence
// and broadcast verticles, --broker=hazelcast). Environment: CABLE_URL_A/B, CABLE_PORT_A/B,
// BROADCAST_URL (the state node), SERVER_PID_A (killed with SIGKILL), SERVER_PID_B (stopped with
// SIGTERM), PRESENCE_TTL, and for a gateway C this test adds: CABLE_PORT_C, CLUSTER_PORT_C,
// GATEWAY_C_COMMAND (a JSON array: the java command line).
import { test } from 'node:test'
import { spawn } from 'node:child_process'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { RawClient, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'
import { createProxy } from './lib/proxy.mjs'

const EXT = ['actioncable-v1-ext-json']
const A = { port: Number(process.env.CABLE_PORT_A), url: process.env.CABLE_URL_A }
const B = { port: Number(process.env.CABLE_PORT_B), url: process.env.CABLE_URL_B }
const publish = (body) => broadcast(body, { url: process.env.BROADCAST_URL, key: '' })
const presenceOf = (c, timeoutMs) => c.next((m) => m.type === 'presence', timeoutMs)

test('a broadcast accepted by the intake node reaches subscribers on both gateways, in order', async () => {
  const id = pubsub('layout/fanout')
  const onA = await RawClient.connect(A.url, EXT)
  const onB = await RawClient.connect(B.url, EXT)
  for (const c of [onA, onB]) {
    await c.next()
    await c.subscribe(id)
  }
  for (let n = 1; n <= 20; n++) assert.equal(await publish(publication('layout/fanout', n)), 201)
  for (const c of [onA, onB]) {
    const got = []
    for (let n = 1; n <= 20; n++) got.push((await c.next()).message)
    assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => i + 1))
  }
  onA.close()
  onB.close()
})

test('presence: a join on gateway A is seen by a subscriber on gateway B and by the REST API of B', async () => {
  const id = pubsub('layout/room')
  const onB = await RawClient.connect(B.url, EXT)
  await onB.next()
  await onB.subscribe(id)
  const onA = await RawClient.connect(A.url, EXT)
  await onA.next()
  await onA.subscribe(id, { presence: { id: 'ana', info: { node: 'A' } } })
  assert.deepEqual((await presenceOf(onB)).message, { type: 'join', id: 'ana', info: { node: 'A' } })
  const res = await fetch(`http://127.0.0.1:${B.port}/api/presence/layout%2Froom/users`)
  assert.deepEqual(await res.json(), { type: 'info', total: 1, records: [{ id: 'ana', info: { node: 'A' } }] })
  onA.send({ command: 'leave', identifier: id })
  assert.deepEqual((await presenceOf(onB)).message, { type: 'leave', id: 'ana' })
  onA.close()
  onB.close()
})

test('remote disconnects accepted by the intake node reach the sessions on either gateway', async () => {
  for (const node of [A, B]) {
    const victim = await RawClient.connect(node.url, EXT)
    const { sid } = await victim.next()
    assert.equal(await publish({ command: 'disconnect', payload: { identifier: JSON.stringify({ sid }), reconnect: false } }), 201)
    assert.deepEqual(await victim.next(), { type: 'disconnect', reason: 'remote', reconnect: false })
    assert.equal((await victim.closed).code, 1000)
  }
})

test('gateway A killed with SIGKILL mid-traffic: B loses nothing, A\'s clients resume on B, A\'s presence leaves', async () => {
  const stream = 'layout/kill'
  const id = pubsub(stream)
  // A watcher on B, with its presence.
  const watcher = await RawClient.connect(B.url, EXT)
  await watcher.next()
  await watcher.subscribe(id)
  // Clients that reach A through a proxy; after A dies the proxy sends new connections to B.
  let target = A.port
  const proxy = await createProxy(() => target)
  const clients = []
  for (let i = 0; i < 3; i++) {
    const cable = createCable(`ws://127.0.0.1:${proxy.port}/cable`, {
      websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error', lazy: false,
      // Back quickly after the node died (the default backoff can outlast the test).
      reconnectStrategy: () => 300,
    })
    const channel = cable.streamFrom(stream)
    // De-duplication by offset, the client application's part of exactly-once.
    const byOffset = new Map()
    channel.on('message', (m, meta) => { if (meta && meta.offset) byOffset.set(meta.offset, m.n) })
    const client = { cable, channel, byOffset, restores: 0 }
    cable.on('connect', (ev) => { if (ev.restored) client.restores++ })
    await channel.ensureSubscribed()
    clients.push(client)
  }
  await clients[0].channel.presence.join('ana-on-a', { node: 'A' })
  assert.equal((await presenceOf(watcher)).message.id, 'ana-on-a')
  // A raw client on A that never comes back: its presence must leave after presence_ttl.
  const gone = await RawClient.connect(A.url, EXT)
  await gone.next()
  await gone.subscribe(id, { presence: { id: 'bob-on-a' } })
  assert.equal((await presenceOf(watcher)).message.id, 'bob-on-a')

  const total = 60
  const onB = []
  let killed = false
  for (let n = 1; n <= total; n++) {
    assert.equal(await publish(publication(stream, { n })), 201)
    if (n === 20) {
      target = B.port
      process.kill(Number(process.env.SERVER_PID_A), 'SIGKILL')
      killed = true
    }
    await sleep(50)
  }
  assert.ok(killed)
  // The watcher on B got every message once, in order.
  for (let n = 1; n <= total; n++) onB.push((await watcher.next((m) => m.message && m.message.n !== undefined)).message.n)
  assert.deepEqual(onB, Array.from({ length: total }, (_, i) => i + 1))
  // A's clients came back on B, restored their sessions and caught up from history.
  const deadline = Date.now() + 30000
  while (Date.now() < deadline && !clients.every((c) => c.byOffset.size >= total)) await sleep(100)
  const all = Array.from({ length: total }, (_, i) => i + 1)
  for (const c of clients) {
    assert.deepEqual([...c.byOffset.keys()].sort((x, y) => x - y), all, 'offsets 1..60')
    assert.deepEqual([...c.byOffset.values()].sort((x, y) => x - y), all, 'every message once after de-duplication')
    assert.ok(c.restores >= 1, 'the session was restored on B without a new subscription')
  }
  // bob's session died with A: no keep-alive any more, so it leaves once presence_ttl has passed.
  const leave = await presenceOf(watcher, (Number(process.env.PRESENCE_TTL) + 10) * 1000)
  assert.deepEqual(leave.message, { type: 'leave', id: 'bob-on-a' })
  // ana's client re-joined from its restored session on B (@anycable/core does after a restore),
  // so the id never left: one record, no leave.
  const res = await fetch(`http://127.0.0.1:${B.port}/api/presence/layout%2Fkill/users`)
  assert.deepEqual(await res.json(), { type: 'info', total: 1, records: [{ id: 'ana-on-a', info: { node: 'A' } }] })
  await watcher.expectNothing(500, (m) => m.type === 'presence')
  for (const c of clients) c.cable.disconnect()
  proxy.close()
  watcher.close()
})

test('a gateway added while the cluster runs takes over from B, restarted gracefully: extended-protocol clients lose nothing', async () => {
  // Gateway C joins now: this test starts it, and stops it at the end.
  const C = { port: Number(process.env.CABLE_PORT_C) }
  const [java, ...javaArgs] = JSON.parse(process.env.GATEWAY_C_COMMAND)
  const child = spawn(java, javaArgs, {
    env: { ...process.env, ANYCABLE_CLUSTER_PORT: process.env.CLUSTER_PORT_C }, stdio: 'ignore',
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    const up = Date.now() + 90000
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${C.port}/health`)).status === 200) break
      } catch {
        // not listening yet
      }
      assert.ok(Date.now() < up, 'gateway C did not come up within 90 s')
      await sleep(250)
    }
    const stream = 'layout/rolling'
    let target = B.port
    const proxy = await createProxy(() => target)
    const make = (url) => {
      const cable = createCable(url, {
        websocketImplementation: WebSocket, protocol: 'actioncable-v1-ext-json', logLevel: 'error', lazy: false,
        reconnectStrategy: () => 300,
      })
      const channel = cable.streamFrom(stream)
      const byOffset = new Map()
      channel.on('message', (m, meta) => { if (meta && meta.offset) byOffset.set(meta.offset, m.n) })
      return { cable, channel, byOffset }
    }
    const clients = [0, 1, 2].map(() => make(`ws://127.0.0.1:${proxy.port}/cable`))
    const watcher = make(`ws://127.0.0.1:${C.port}/cable`)
    await Promise.all([...clients, watcher].map((c) => c.channel.ensureSubscribed()))
    const total = 60
    for (let n = 1; n <= total; n++) {
      assert.equal(await publish(publication(stream, { n })), 201)
      if (n === 20) {
        // Rolling restart of B: new connections go to C, then B is told to stop.
        target = C.port
        process.kill(Number(process.env.SERVER_PID_B), 'SIGTERM')
      }
      await sleep(50)
    }
    const all = Array.from({ length: total }, (_, i) => i + 1)
    const deadline = Date.now() + 30000
    while (Date.now() < deadline && ![...clients, watcher].every((c) => c.byOffset.size >= total)) await sleep(100)
    for (const c of [...clients, watcher]) {
      assert.deepEqual([...c.byOffset.values()].sort((x, y) => x - y), all, 'every message once after de-duplication')
    }
    assert.ok(proxy.upstreams.includes(B.port) && proxy.upstreams.includes(C.port), `moved from B to C: ${proxy.upstreams}`)
    for (const c of [...clients, watcher]) c.cable.disconnect()
    proxy.close()
  } finally {
    child.kill('SIGTERM')
    await exited
  }
})
