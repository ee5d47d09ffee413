// An SSE reader's node dies with kill -9 (ReliabilityIT starts a Hazelcast cluster). The reader,
// the npm `eventsource` client, goes through a TCP proxy to node A; once A is killed the proxy
// sends new connections to node B, as a load balancer would. Messages published on B while the
// reader is away come back from the cluster's shared history through Last-Event-ID: every message
// exactly once, in order.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventSource } from 'eventsource'
import { sleep } from '../lib/cable.mjs'
import { createProxy } from '../lib/proxy.mjs'

const PUBLISH_URL = process.env.PUBLISH_URL
const KEY = process.env.BROADCAST_KEY || ''
const A_PORT = Number(process.env.A_PORT)
const B_PORT = Number(process.env.B_PORT)
const KILL_PID = Number(process.env.KILL_PID)

async function publish(n) {
  const res = await fetch(PUBLISH_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(KEY ? { Authorization: `Bearer ${KEY}` } : {}) },
    body: JSON.stringify({ stream: 'sse-death', data: JSON.stringify({ n }) }),
  })
  assert.equal(res.status, 201, `publication ${n}`)
}

async function until(check, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

test('an EventSource whose node is killed resumes on another node without a gap or a duplicate', async () => {
  let upstream = A_PORT
  const proxy = await createProxy(() => upstream)
  const source = new EventSource(`http://127.0.0.1:${proxy.port}/events?stream=sse-death`)
  const seen = []
  let confirms = 0
  source.addEventListener('confirm_subscription', () => confirms++)
  source.addEventListener('message', (e) => seen.push(JSON.parse(e.data).n))
  try {
    await until(() => confirms === 1, 'the first confirmation')
    let n = 0
    for (let i = 0; i < 10; i++) await publish(++n)
    await until(() => seen.length === n, `message ${n} before the kill`)
    process.kill(KILL_PID, 'SIGKILL')
    upstream = B_PORT
    // Published on B while the reader has no connection.
    for (let i = 0; i < 10; i++) await publish(++n)
    await until(() => confirms >= 2, 'the reconnection to B')
    await until(() => seen.length >= n, `the missed messages up to ${n}`)
    await publish(++n)
    await until(() => seen.length >= n, 'a live message on B')
    await sleep(300)
    assert.deepEqual(seen, Array.from({ length: n }, (_, i) => i + 1), 'every message once, in order')
    assert.ok(proxy.upstreams.includes(B_PORT), 'the reader moved to node B')
  } finally {
    source.close()
    proxy.close()
  }
})
