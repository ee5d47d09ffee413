// Server-Sent Events with published clients. Server flags: --public --broker=memory --sse
// The npm `eventsource` package (the WHATWG EventSource for Node), plain fetch (POST, raw=1), and
// Chromium's own EventSource (headless, puppeteer-core) across origins and through connection cuts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { existsSync } from 'node:fs'
import { EventSource } from 'eventsource'
import puppeteer from 'puppeteer-core'
import { env, broadcast, publication, pubsub, sleep } from './lib/cable.mjs'
import { createProxy } from './lib/proxy.mjs'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const events = (port = env.port) => `http://127.0.0.1:${port}/events`

const parse = (text) => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Collects an EventSource's events by type; `data` events are parsed as JSON when they are JSON. */
function record(source) {
  const seen = { welcome: 0, confirm: 0, data: [], ids: [], errors: 0 }
  source.addEventListener('welcome', () => seen.welcome++)
  source.addEventListener('confirm_subscription', () => seen.confirm++)
  source.addEventListener('message', (e) => {
    seen.data.push(parse(e.data))
    seen.ids.push(e.lastEventId)
  })
  source.addEventListener('error', () => seen.errors++)
  return seen
}

async function until(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

test('EventSource subscribes to a public stream and gets welcome, confirmation and data with ids', async () => {
  const source = new EventSource(`${events()}?stream=sse-basic`)
  const seen = record(source)
  await until(() => seen.confirm === 1, 'the confirmation')
  assert.equal(seen.welcome, 1)
  await broadcast(publication('sse-basic', { n: 1 }))
  await broadcast(publication('sse-basic', 'text'))
  await until(() => seen.data.length === 2, 'two messages')
  source.close()
  assert.deepEqual(seen.data, [{ n: 1 }, 'text'])
  assert.match(seen.ids[0], /^1\/[A-Za-z0-9_-]+\/sse-basic$/, 'id is <offset>/<epoch>/<stream>')
  assert.match(seen.ids[1], /^2\//)
})

test('EventSource reconnects through cuts with Last-Event-ID and misses nothing, twice nothing', async () => {
  const proxy = await createProxy(() => Number(env.port))
  const source = new EventSource(`${events(proxy.port)}?stream=sse-cuts`)
  const seen = record(source)
  try {
    await until(() => seen.confirm === 1, 'the confirmation')
    let n = 0
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) await broadcast(publication('sse-cuts', { n: ++n }))
      await until(() => seen.data.length === n, `message ${n}`)
      proxy.cut()
      // Published while the client is away: they come back from the broker's history.
      for (let i = 0; i < 5; i++) await broadcast(publication('sse-cuts', { n: ++n }))
      proxy.restore()
      await until(() => seen.data.length >= n, `the missed messages up to ${n}`)
    }
    await broadcast(publication('sse-cuts', { n: ++n }))
    await until(() => seen.data.length >= n, 'the last message')
    await sleep(200)
    assert.deepEqual(seen.data.map((m) => m.n), Array.from({ length: n }, (_, i) => i + 1), 'each message exactly once, in order')
    assert.ok(seen.confirm >= 4, 'it reconnected after every cut')
  } finally {
    source.close()
    proxy.close()
  }
})

test('history_since replays what the stream kept', async () => {
  for (const n of [1, 2, 3]) await broadcast(publication('sse-since', { n }))
  const since = Math.floor(Date.now() / 1000) - 60
  const source = new EventSource(`${events()}?stream=sse-since&history_since=${since}`)
  const seen = record(source)
  await until(() => seen.data.length === 3, 'the history')
  source.close()
  assert.deepEqual(seen.data.map((m) => m.n), [1, 2, 3])
})

test('raw=1 streams data lines only; POST takes JSON lines and streams full messages', async () => {
  const ctrl = new AbortController()
  const res = await fetch(`${events()}?stream=sse-raw&raw=1`, { signal: ctrl.signal })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  const reader = res.body.getReader()
  await broadcast(publication('sse-raw', { raw: true }))
  let text = ''
  while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value)
  assert.match(text, /^data: \{"raw":true\}\nid: 1\/[A-Za-z0-9_-]+\/sse-raw\n\n$/, 'no welcome, no confirmation, no event names')
  ctrl.abort()

  const id = pubsub('sse-post')
  const post = new AbortController()
  const res2 = await fetch(events(), { method: 'POST', body: JSON.stringify({ identifier: id }) + '\n', signal: post.signal })
  assert.equal(res2.status, 200)
  const r2 = res2.body.getReader()
  let body = ''
  while (!body.includes('confirm_subscription')) body += new TextDecoder().decode((await r2.read()).value)
  await broadcast(publication('sse-post', { full: 1 }))
  while (!body.includes('"full"')) body += new TextDecoder().decode((await r2.read()).value)
  post.abort()
  const data = body.split('\n\n').find((e) => e.includes('"full"'))
  const json = JSON.parse(data.split('\n').find((l) => l.startsWith('data: ')).slice(6))
  assert.equal(json.identifier, id)
  assert.deepEqual(json.message, { full: 1 })
})

test('requests without a channel are refused with 400', async () => {
  const res = await fetch(events())
  assert.equal(res.status, 400)
})

const PAGE = (url) => `<!doctype html><html><body><script>
window.results = { data: [], confirms: 0, errors: 0 };
const es = new EventSource(${JSON.stringify(url)});
es.addEventListener('confirm_subscription', () => window.results.confirms++);
es.onmessage = (e) => window.results.data.push(JSON.parse(e.data).n);
es.onerror = () => window.results.errors++;
</script></body></html>`

test('Chromium\'s EventSource streams across origins and resumes after cuts', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` }, async () => {
  const proxy = await createProxy(() => Number(env.port))
  const page = http.createServer((req, res) => res.setHeader('content-type', 'text/html')
    .end(PAGE(`${events(proxy.port)}?stream=sse-browser`)))
  await new Promise((r) => page.listen(0, '127.0.0.1', r))
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  try {
    const tab = await browser.newPage()
    await tab.goto(`http://localhost:${page.address().port}/`)
    await tab.waitForFunction(() => window.results.confirms === 1, { timeout: 15000 })
    for (let n = 1; n <= 3; n++) await broadcast(publication('sse-browser', { n }))
    await tab.waitForFunction(() => window.results.data.length === 3, { timeout: 15000 })
    proxy.cut()
    for (let n = 4; n <= 6; n++) await broadcast(publication('sse-browser', { n }))
    proxy.restore()
    await tab.waitForFunction(() => window.results.data.length >= 6, { timeout: 20000 })
    await broadcast(publication('sse-browser', { n: 7 }))
    await tab.waitForFunction(() => window.results.data.length >= 7, { timeout: 15000 })
    const results = await tab.evaluate(() => window.results)
    assert.deepEqual(results.data, [1, 2, 3, 4, 5, 6, 7], 'the browser resumed from its Last-Event-ID')
    assert.ok(results.confirms >= 2, 'the browser reconnected by itself')
  } finally {
    await browser.close()
    page.close()
    proxy.close()
  }
})
