// Decompression bomb (--public --enable_ws_compression, max_message_size 65536): clients that
// negotiate permessage-deflate each send ONE message of ~61 KB compressed that inflates to ~60 MB.
// The server inflates only up to max_message_size and closes with 1009 (Message Too Big); its
// memory stays bounded and the canary gets every broadcast.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateRawSync, constants } from 'node:zlib'
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'
import { env, Canary, sampleRss, afterAttack, Problems, within } from './lib.mjs'

const INFLATED = 60 * 1024 * 1024
/** Clients sending a bomb at the same time (one message each). */
const CLIENTS = Number(process.env.BOMBS || 4)
const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)

/** One masked, final, RSV1 (compressed) text frame carrying `payload`, as a client must send it. */
function compressedClientFrame(payload) {
  const len = payload.length
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10)
  head[0] = 0x80 | 0x40 | 0x1 // FIN, RSV1 (permessage-deflate), text
  if (len < 126) {
    head[1] = 0x80 | len
  } else if (len < 65536) {
    head[1] = 0x80 | 126
    head.writeUInt16BE(len, 2)
  } else {
    head[1] = 0x80 | 127
    head.writeBigUInt64BE(BigInt(len), 2)
  }
  const mask = randomBytes(4)
  const masked = Buffer.alloc(len)
  for (let i = 0; i < len; i++) masked[i] = payload[i] ^ mask[i & 3]
  return Buffer.concat([head, mask, masked])
}

test('a compressed message inflating far beyond max_message_size is refused with 1009', async () => {
  // 60 MB of spaces deflated: ~60 KB. permessage-deflate strips the 00 00 ff ff of the sync flush.
  const deflated = deflateRawSync(Buffer.alloc(INFLATED, 0x20), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 })
  assert.deepEqual([...deflated.subarray(-4)], [0, 0, 0xff, 0xff])
  const payload = deflated.subarray(0, -4)
  const frame = compressedClientFrame(payload)
  console.log(`bomb: ${(payload.length / 1024).toFixed(0)} KB compressed, ${INFLATED / 1048576} MiB inflated, ${CLIENTS} clients`)

  const canary = await Canary.start()
  const sampler = sampleRss()
  const problems = new Problems()

  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const ws = new WebSocket(env.url, ['actioncable-v1-json'], { perMessageDeflate: { clientNoContextTakeover: true } })
    const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)))
    ws.on('error', () => {})
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    assert.match(ws.extensions, /permessage-deflate/, 'permessage-deflate was negotiated')
    await new Promise((resolve) => ws.once('message', resolve)) // the welcome
    return { ws, closed }
  }))
  const t0 = Date.now()
  for (const c of clients) c.ws._socket.write(frame) // past ws's sender: the raw compressed frame
  const codes = await Promise.all(clients.map((c) => within(c.closed, 10_000, 'close after the bomb').catch((e) => e.message)))
  console.log(`close codes ${JSON.stringify(codes)} within ${Date.now() - t0} ms`)
  codes.forEach((code, i) => problems.expect(code === 1009, `bomb client #${i}: expected close code 1009, got ${code}`))
  for (const c of clients) c.ws.terminate()

  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
})
