// --public --enable_ws_compression, driven by a real Chromium (headless, puppeteer-core): the browser
// negotiates permessage-deflate with the gateway, sends a compressed command and receives a
// compressed broadcast. Skipped only where no Chromium is installed (.ci/run installs it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { existsSync } from 'node:fs'
import puppeteer from 'puppeteer-core'
import { env, broadcast, publication } from './lib/cable.mjs'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

const PAGE = `<!doctype html><html><body><script>
window.results = { identifiers: [], big: 0 };
const ws = new WebSocket('ws://127.0.0.1:${env.port}/cable', ['actioncable-v1-json']);
const sub = (name) => ws.send(JSON.stringify({ command: 'subscribe',
  identifier: JSON.stringify({ channel: '$pubsub', stream_name: name, pad: 'p'.repeat(20000) }) }));
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.type === 'welcome') sub('deflate');
  if (m.type === 'confirm_subscription') window.results.identifiers.push(m.identifier);
  if (m.message && m.message.big) window.results.big = m.message.big.length;
};
ws.onclose = (e) => { window.results.closed = e.code; };
</script></body></html>`

test('Chromium talks permessage-deflate with the gateway both ways', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` }, async () => {
  const server = http.createServer((req, res) => res.setHeader('content-type', 'text/html').end(PAGE))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  try {
    const page = await browser.newPage()
    const cdp = await page.createCDPSession()
    await cdp.send('Network.enable')
    const handshake = new Promise((resolve) => cdp.on('Network.webSocketHandshakeResponseReceived', (e) => resolve(e.response.headers)))
    await page.goto(`http://127.0.0.1:${server.address().port}/`)
    const headers = await handshake
    const extensions = headers['Sec-WebSocket-Extensions'] ?? headers['sec-websocket-extensions']
    assert.match(extensions, /^permessage-deflate/, 'the gateway accepted the browser\'s offer')
    assert.match(extensions, /server_no_context_takeover/)

    // The subscribe command carries 20 KB of padding: the browser compresses it, the gateway inflates it.
    await page.waitForFunction(() => window.results.identifiers.length === 1, { timeout: 10000 })
    const big = 'z'.repeat(50000)
    assert.equal(await broadcast(publication('deflate', { big })), 201)
    await page.waitForFunction(() => window.results.big > 0, { timeout: 10000 })
    const results = await page.evaluate(() => window.results)
    assert.equal(results.big, big.length, 'the compressed broadcast arrived whole')
    assert.equal(results.closed, undefined, 'the connection stayed open')
  } finally {
    await browser.close()
    server.close()
  }
})
