// HTTP pipelining flood on the main port (--public, broadcasts on their own port): one client writes
// `GET /health` requests as fast as it can and never reads a response. The server must stop reading
// from it while its responses are unsent (backpressure), so its memory stays bounded, /health keeps
// answering other clients and the canary gets every broadcast.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { env, Canary, sampleRss, healthProbes, afterAttack, Problems, tick } from './lib.mjs'

const FLOOD_MS = 10_000
/** A write that has not drained for this long means the server stopped reading: backpressure works. */
const BLOCKED_MS = 3000
const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)

test('a client pipelining requests without reading cannot grow the server without bound', async () => {
  const canary = await Canary.start()
  const sampler = sampleRss()
  const probes = healthProbes(500)
  const problems = new Problems()

  const request = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'
  const chunk = Buffer.from(request.repeat(Math.floor(65536 / request.length)))
  const socket = net.connect({ host: '127.0.0.1', port: Number(env.port) })
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  socket.pause() // never read a response
  let closedBy = null
  socket.on('error', (e) => { closedBy = closedBy || e.code })
  socket.on('close', () => { closedBy = closedBy || 'close' })

  const t0 = Date.now()
  let written = 0
  let blocked = false
  while (Date.now() - t0 < FLOOD_MS && !closedBy) {
    if (socket.write(chunk)) {
      written += chunk.length
      await tick() // let the canary, the probes and socket events run
      continue
    }
    written += chunk.length
    const drained = await new Promise((resolve) => {
      const timer = setTimeout(() => { socket.off('drain', onDrain); resolve(false) }, BLOCKED_MS)
      const onDrain = () => { clearTimeout(timer); resolve(true) }
      socket.once('drain', onDrain)
    })
    if (!drained) {
      blocked = true
      break
    }
  }
  const requests = Math.round(written / request.length)
  console.log(`flood: ${(written / 1048576).toFixed(1)} MiB (${requests} requests) in ${Date.now() - t0} ms; `
    + `${blocked ? 'the server stopped reading (backpressure)' : closedBy ? `connection ended: ${closedBy}` : 'never blocked'}`)
  await new Promise((resolve) => {
    socket.once('close', resolve)
    socket.destroy()
  })

  const { count, failures } = await probes.stop()
  problems.expect(failures.length === 0, `${failures.length} of ${count} /health probes during the flood failed: ${failures.slice(0, 5).join('; ')}`)
  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
  assert.ok(count >= 4, `only ${count} health probes ran`)
})
