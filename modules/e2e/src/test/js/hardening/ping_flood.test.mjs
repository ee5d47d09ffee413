// WebSocket ping flood (--public; with COMPRESSION=1 the server runs --enable_ws_compression and the
// client negotiates permessage-deflate): a client with ?pi=0 stops reading and sends 125-byte pings
// as fast as its own buffer allows. Pongs must count toward the slow-client budget: the server closes
// that connection within a few seconds, its memory stays bounded and the canary gets everything.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { env, Canary, sampleRss, afterAttack, Problems, tick } from './lib.mjs'

const compression = process.env.COMPRESSION === '1'
/** The longest the flood runs; the fixed server closes the connection long before. */
const FLOOD_MS = 12_000
/** Socket buffers fill within ~1 s, then ws_write_timeout (2 s): ~3 s expected, plus slack for a 2-core machine. */
const CLOSE_WITHIN_MS = 8000
const CLIENT_BUFFER = 1 << 20
const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)

test(`a client flooding pings without reading is closed${compression ? ' (permessage-deflate)' : ''}`, async () => {
  const canary = await Canary.start()
  const sampler = sampleRss()
  const problems = new Problems()

  const ws = new WebSocket(`${env.url}?pi=0`, ['actioncable-v1-json'], { perMessageDeflate: compression })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  if (compression) {
    assert.match(ws.extensions, /permessage-deflate/, 'permessage-deflate was negotiated')
  }
  ws._socket.pause() // never read: every pong the server writes stays unsent
  let closedAt = null
  ws._socket.once('close', () => { closedAt = Date.now() })
  ws.on('error', () => {}) // EPIPE/ECONNRESET once the server has closed: expected

  const payload = Buffer.alloc(125, 0x61)
  const t0 = Date.now()
  let pings = 0
  while (closedAt === null && Date.now() - t0 < FLOOD_MS && ws.readyState === WebSocket.OPEN) {
    if (ws.bufferedAmount < CLIENT_BUFFER) {
      for (let i = 0; i < 256; i++) ws.ping(payload)
      pings += 256
      await tick() // let the canary and socket events (a close) run
      continue
    }
    // Our own buffer is full: wait until it drains a little (bounded), then check the deadline again.
    await new Promise((resolve) => {
      const timer = setTimeout(done, 200)
      function done() {
        clearTimeout(timer)
        ws._socket.off('drain', done)
        ws._socket.off('close', done)
        resolve()
      }
      ws._socket.once('drain', done)
      ws._socket.once('close', done)
    })
  }
  const floodMs = Date.now() - t0
  console.log(`flood: ${pings} pings (${(pings * 131 / 1048576).toFixed(1)} MiB) in ${floodMs} ms; `
    + (closedAt ? `the server closed the connection after ${closedAt - t0} ms` : 'the connection was never closed'))
  problems.expect(closedAt !== null && closedAt - t0 <= CLOSE_WITHIN_MS,
    closedAt ? `the flooding client was closed only after ${closedAt - t0} ms (limit ${CLOSE_WITHIN_MS} ms)`
      : `the flooding client was still connected after ${floodMs} ms of flooding`)
  ws._socket.destroy()

  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
})
