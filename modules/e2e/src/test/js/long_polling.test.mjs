// Long polling (--poll --broker=memory --public): a client written against the documented protocol
// with plain fetch (POST JSON Lines of commands, X-Anycable-Poll-ID back on every poll, JSON Lines
// of messages in each answer). Default intervals: flush 500 ms, keepalive 5 s, poll 15 s.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'

const LP_URL = `http://127.0.0.1:${env.port}/lp`
const FLUSH_MS = 500
const KEEPALIVE_MS = 5000

/** A long-polling client: the poll ID of the first 20x answer goes back with every later request. */
class PollClient {
  constructor(url = LP_URL) {
    this.url = url
    this.id = null
  }

  async request(commands = [], headers = {}) {
    const h = { ...headers }
    if (this.id) h['X-Anycable-Poll-ID'] = this.id
    const body = commands.map((c) => (typeof c === 'string' ? c : JSON.stringify(c)) + '\n').join('')
    const res = await fetch(this.url, { method: 'POST', headers: h, body })
    const text = await res.text()
    assert.ok(text === '' || text.endsWith('\n'), `every line ends with a newline: ${JSON.stringify(text)}`)
    const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))
    return { status: res.status, headers: res.headers, lines }
  }

  async open(commands = [], headers = {}) {
    const r = await this.request(commands, headers)
    if (r.status >= 200 && r.status < 300) this.id = r.headers.get('x-anycable-poll-id')
    return r
  }

  poll(commands = []) {
    return this.request(commands)
  }
}

const subscribe = (identifier) => ({ command: 'subscribe', identifier })

test('the first request authenticates, runs its commands and hands out a poll ID', async () => {
  const id = pubsub('lp_hello')
  const c = new PollClient()
  const r = await c.open([subscribe(id)])
  assert.equal(r.status, 200)
  assert.match(c.id, /^[A-Za-z0-9_-]{16,}$/)
  assert.equal(r.lines[0].type, 'welcome')
  assert.ok(r.lines[0].sid, 'the extended protocol names the session')
  assert.deepEqual(r.lines[1], { type: 'confirm_subscription', identifier: id })
  assert.equal(r.headers.get('access-control-expose-headers'), 'X-Anycable-Poll-ID')
  assert.equal(r.headers.get('access-control-allow-origin'), '*')

  const waiting = c.poll()
  await sleep(300)
  assert.equal(await broadcast(publication('lp_hello', 'hi')), 201)
  const answer = await waiting
  assert.equal(answer.status, 200)
  const message = answer.lines.find((m) => m.identifier === id)
  assert.equal(message.message, 'hi')
  assert.equal(message.stream_id, 'lp_hello')
  assert.ok(message.epoch && message.offset >= 1, 'broadcasts carry their stream position')
})

test('a client pausing between polls (longer than the flush interval, shorter than the keepalive) loses nothing', async () => {
  const id = pubsub('lp_pause')
  const c = new PollClient()
  assert.equal((await c.open([subscribe(id)])).status, 200)
  const total = 40
  const publishing = (async () => {
    for (let seq = 0; seq < total; seq++) {
      assert.equal(await broadcast(publication('lp_pause', { seq })), 201)
      await sleep(100)
    }
  })()
  const got = []
  let polls = 0
  const deadline = Date.now() + 60_000
  while (got.length < total && Date.now() < deadline) {
    const r = await c.poll()
    assert.equal(r.status, 200, 'the session outlives every pause')
    polls++
    for (const m of r.lines) if (m.identifier === id) got.push(m)
    await sleep(3 * FLUSH_MS) // away: messages pile up on the server meanwhile
  }
  await publishing
  assert.deepEqual(got.map((m) => m.message.seq), [...Array(total).keys()], 'every message once, in order')
  for (let i = 1; i < got.length; i++) {
    assert.equal(got[i].epoch, got[0].epoch)
    assert.equal(got[i].offset, got[i - 1].offset + 1)
  }
  assert.ok(polls >= 2, `several polls carried them (${polls})`)
})

test("a stopped client's session expires (401, session_expired) and is restored by its sid", async () => {
  const id = pubsub('lp_restore')
  const c = new PollClient()
  const first = await c.open([subscribe(id)])
  const sid = first.lines[0].sid
  assert.equal(await broadcast(publication('lp_restore', { n: 1 })), 201)
  let seen
  while (!seen) seen = (await c.poll()).lines.find((m) => m.identifier === id)
  assert.equal(seen.message.n, 1)

  await sleep(KEEPALIVE_MS + 1500) // the client stops polling
  for (const n of [2, 3]) assert.equal(await broadcast(publication('lp_restore', { n })), 201)
  const stale = await c.poll()
  assert.equal(stale.status, 401)
  assert.deepEqual(stale.lines, [{ type: 'disconnect', reason: 'session_expired', reconnect: true }])
  assert.equal((await c.poll()).status, 401, 'and stays gone')

  // Back with its sid: the session is restored, and the history from its last position fills the gap.
  const again = new PollClient(`${LP_URL}?sid=${encodeURIComponent(sid)}`)
  const position = { lp_restore: { epoch: seen.epoch, offset: seen.offset } }
  const r = await again.open([{ command: 'history', identifier: id, history: { streams: position } }])
  assert.equal(r.status, 200)
  assert.equal(r.lines[0].type, 'welcome')
  assert.equal(r.lines[0].restored, true)
  assert.deepEqual(r.lines[0].restored_ids, [id])
  assert.deepEqual(r.lines.filter((m) => m.identifier === id && m.message).map((m) => m.message.n), [2, 3])
  assert.deepEqual(r.lines[r.lines.length - 1], { type: 'confirm_history', identifier: id })

  const live = again.poll()
  await sleep(300)
  assert.equal(await broadcast(publication('lp_restore', { n: 4 })), 201)
  assert.deepEqual((await live).lines.filter((m) => m.identifier === id).map((m) => m.message.n), [4])
})

test('preflight, refused requests and the request size limit', async () => {
  const pre = await fetch(LP_URL, {
    method: 'OPTIONS',
    headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'x-anycable-poll-id' },
  })
  assert.equal(pre.status, 200)
  assert.equal(pre.headers.get('access-control-allow-origin'), '*')
  assert.match(pre.headers.get('access-control-allow-methods'), /POST/)
  assert.match(pre.headers.get('access-control-allow-headers'), /X-Anycable-Poll-ID/)

  const unknown = new PollClient()
  unknown.id = 'never-issued'
  const r = await unknown.poll()
  assert.equal(r.status, 401)
  assert.deepEqual(r.lines, [{ type: 'disconnect', reason: 'session_expired', reconnect: true }])

  const big = await fetch(LP_URL, { method: 'POST', body: JSON.stringify(subscribe('x'.repeat(70_000))) + '\n' })
  assert.equal(big.status, 413)
  assert.equal((await fetch(LP_URL, { method: 'GET' })).status, 405)
})
