// Helpers of the hardening tests (issue 12): a canary that must receive every broadcast sent during
// and after an attack, the server's RSS sampled from /proc, /health probes and a bounded `eventually`.
// Every attack targets 127.0.0.1 only and is bounded in time and volume.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { env, RawClient, publication, pubsub } from '../lib/cable.mjs'

export { env }

const MiB = 1024 * 1024

/** Polls `check` (sync or async; truthy = done) every `intervalMs` until it holds or `timeoutMs` passes. */
export async function eventually(check, { timeoutMs = 5000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const v = await check()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what} did not hold within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** Lets the event loop run (I/O, timers) between the steps of a busy attack loop. */
export const tick = () => new Promise((resolve) => setImmediate(resolve))

/** Resolves with the promise's value, or rejects after `ms` naming `what`. */
export function within(promise, ms, what = 'operation') {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** The server's resident set size in bytes, or null when the process is gone. */
export function rss(pid = env.serverPid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status)
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}

/** Whether the server process exists and is not a zombie. */
export function serverAlive(pid = env.serverPid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return !/^State:\s+Z/m.test(status)
  } catch {
    return false
  }
}

/** Samples the server's RSS every `intervalMs` from now on; `stop()` returns start, peak and growth. */
export function sampleRss(intervalMs = 100) {
  const start = rss()
  assert.ok(start, `no RSS for server pid ${env.serverPid}`)
  let peak = start
  const timer = setInterval(() => {
    const v = rss()
    if (v && v > peak) peak = v
  }, intervalMs)
  return {
    start,
    get peak() {
      return peak
    },
    stop() {
      clearInterval(timer)
      const v = rss()
      if (v && v > peak) peak = v
      return { start, peak, growthMiB: (peak - start) / MiB }
    },
  }
}

/** Asserts the sampled RSS grew less than `limitMiB` over its start value. */
export function assertRssBounded(sampler, limitMiB) {
  const { start, peak, growthMiB } = sampler.stop()
  const msg = `server RSS ${(start / MiB).toFixed(0)} MiB -> peak ${(peak / MiB).toFixed(0)} MiB (+${growthMiB.toFixed(0)} MiB, limit +${limitMiB} MiB)`
  console.log(msg)
  assert.ok(growthMiB < limitMiB, msg)
}

/** GET /health on a fresh connection; resolves with the status, rejects after `timeoutMs`. */
export function health({ port = env.port, timeoutMs = 2000, path = '/health' } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path} on port ${port}: no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
  })
}

/** Asserts GET /health answers 200 within 2 s. */
export async function assertHealthy(port = env.port) {
  const t0 = Date.now()
  const status = await health({ port })
  assert.equal(status, 200, `GET /health answered ${status}`)
  return Date.now() - t0
}

/** Probes /health every `everyMs` until stopped; every probe must answer 200 within 2 s. */
export function healthProbes(everyMs = 500, port = env.port) {
  const failures = []
  let count = 0
  let stopped = false
  const pending = new Set()
  const timer = setInterval(() => {
    if (stopped) return
    const at = Date.now()
    const p = health({ port })
      .then((s) => {
        if (s !== 200) failures.push(`status ${s} at +${at - started} ms`)
      })
      .catch((e) => failures.push(`${e.message} (probe at +${at - started} ms)`))
      .finally(() => pending.delete(p))
    pending.add(p)
    count++
  }, everyMs)
  const started = Date.now()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await Promise.allSettled([...pending])
      return { count, failures }
    },
  }
}

/**
 * A client subscribed to a stream of its own that must receive every broadcast, in order. While
 * running, it broadcasts `{seq: n}` every `everyMs`; each broadcast must be accepted (201) within 2 s.
 */
export class Canary {
  static async start({
    url = env.url,
    stream = `canary-${process.pid}-${Date.now()}`,
    identifier = pubsub(stream),
    broadcastUrl = env.broadcastUrl,
    broadcastKey = env.broadcastKey,
    everyMs = 200,
  } = {}) {
    const client = await RawClient.connect(url)
    const welcome = await client.next((m) => m.type === 'welcome' || m.type === 'disconnect')
    assert.equal(welcome.type, 'welcome', `canary not welcomed: ${JSON.stringify(welcome)}`)
    const sub = await client.subscribe(identifier)
    assert.equal(sub.type, 'confirm_subscription', `canary not subscribed: ${JSON.stringify(sub)}`)
    const c = new Canary(client, stream, identifier, broadcastUrl, broadcastKey)
    c.run(everyMs)
    return c
  }

  constructor(client, stream, identifier, broadcastUrl, broadcastKey) {
    Object.assign(this, { client, stream, identifier, broadcastUrl, broadcastKey })
    this.sent = 0
    this.errors = []
    this.received = []
    this.outOfOrder = []
    this.closedEarly = null
    client.ws.on('message', (data) => {
      let m
      try {
        m = JSON.parse(data.toString())
      } catch {
        return
      }
      if (m.identifier !== identifier || m.message?.seq === undefined) return
      const expected = this.received.length
      if (m.message.seq !== expected) this.outOfOrder.push(`${m.message.seq} when ${expected} was due`)
      this.received.push(m.message.seq)
    })
    client.closed.then((c) => {
      this.closedEarly = c
    })
  }

  run(everyMs) {
    this.running = (async () => {
      while (!this.stopping) {
        await this.sendOne()
        if (!this.stopping) await new Promise((r) => setTimeout(r, everyMs))
      }
    })()
  }

  async sendOne() {
    const seq = this.sent++
    try {
      const status = await broadcastWithin(publication(this.stream, { seq }), {
        url: this.broadcastUrl, key: this.broadcastKey, timeoutMs: 2000,
      })
      if (status !== 201) this.errors.push(`broadcast ${seq}: HTTP ${status}`)
    } catch (e) {
      this.errors.push(`broadcast ${seq}: ${e.message}`)
    }
  }

  /** Stops broadcasting, sends `after` more, and asserts every broadcast arrived, in order, once. */
  async verify({ after = 3, timeoutMs = 5000 } = {}) {
    this.stopping = true
    await this.running
    for (let i = 0; i < after; i++) await this.sendOne()
    const total = this.sent
    await eventually(() => this.received.length >= total, { timeoutMs, what: `canary receiving all ${total} broadcasts` })
      .catch((e) => {
        throw new Error(`${e.message}: got ${this.received.length} (last ${this.received.at(-1)}); `
          + `broadcast errors: ${this.errors.slice(0, 5).join('; ') || 'none'}; canary closed: ${JSON.stringify(this.closedEarly)}`)
      })
    assert.deepEqual(this.errors, [], `broadcast failures: ${this.errors.slice(0, 5).join('; ')}`)
    assert.deepEqual(this.outOfOrder, [], 'canary broadcasts out of order')
    assert.equal(this.received.length, total, 'canary got duplicates')
    assert.equal(this.closedEarly, null, `the canary was disconnected: ${JSON.stringify(this.closedEarly)}`)
    console.log(`canary received all ${total} broadcasts in order`)
    this.client.close()
  }
}

/** One HTTP request on a fresh connection; resolves with { status, headers, body } or rejects after `timeoutMs`. */
export function request({ port = env.port, method = 'GET', path = '/', headers = {}, body, timeoutMs = 2000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: { Connection: 'close', ...headers } }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path} on port ${port}: no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** POST a publication with a deadline; resolves with the status. */
export async function broadcastWithin(body, { url = env.broadcastUrl, key = env.broadcastKey, timeoutMs = 2000 } = {}) {
  const u = new URL(url)
  const headers = { 'Content-Type': 'application/json' }
  if (key) headers.Authorization = `Bearer ${key}`
  const res = await request({ port: u.port, method: 'POST', path: u.pathname, headers, body: JSON.stringify(body), timeoutMs })
  return res.status
}

/** The open-file limit of this process (the attack is sized below it). */
export function openFileLimit() {
  const limits = readFileSync('/proc/self/limits', 'utf8')
  const m = /^Max open files\s+(\d+|unlimited)\s+/m.exec(limits)
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1])
}

/**
 * The common end of every attack: /health answers 200 within 2 s, RSS grew less than `rssLimitMiB`,
 * the canary got every broadcast in order, the server is alive. Every check runs; one error lists
 * all that failed.
 */
export async function afterAttack({ canary, sampler, rssLimitMiB, port = env.port, extra = [] } = {}) {
  const problems = [...extra]
  const check = async (fn) => {
    try {
      await fn()
    } catch (e) {
      problems.push(e.message)
    }
  }
  await check(() => assert.ok(serverAlive(), 'the server process died'))
  await check(async () => {
    const ms = await assertHealthy(port)
    console.log(`/health answered 200 in ${ms} ms after the attack`)
  })
  if (sampler) await check(() => assertRssBounded(sampler, rssLimitMiB))
  if (canary) await check(() => canary.verify())
  await check(() => assert.ok(serverAlive(), 'the server process died'))
  assert.deepEqual(problems, [], `after the attack:\n  - ${problems.join('\n  - ')}`)
}

/** Collects failed expectations of an attack without stopping it, for afterAttack's report. */
export class Problems extends Array {
  expect(ok, message) {
    if (!ok) this.push(message)
    return ok
  }
}

export { publication, pubsub, RawClient }
