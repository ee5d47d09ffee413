// Slowloris (--public, default --http_read_header_timeout=5): many connections each dribbling a
// request head one byte a second, plus silent sockets that send nothing. Every one must be closed
// by the server within the header timeout plus slack, the dribblers with `HTTP/1.1 408` first, while
// /health keeps answering and the canary gets every broadcast.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { env, Canary, sampleRss, healthProbes, afterAttack, Problems, openFileLimit } from './lib.mjs'

/** --http_read_header_timeout (5 s) plus slack for a loaded 2-core machine. */
const CLOSE_WITHIN_MS = 9000
const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)
const HEAD = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Padding: '

function sizeAttack() {
  // Each socket is one descriptor here and one in the server (same user, same limit); keep both well below it.
  const limit = openFileLimit()
  const budget = Math.floor((limit - 500) / 2)
  const dribblers = Math.max(100, Math.min(1500, Math.floor(budget * 0.75)))
  const silent = Math.max(50, Math.min(500, budget - dribblers))
  return { limit, dribblers, silent }
}

/** Opens one attacking connection; `dribble` sends a byte of HEAD (then padding) every second. */
function open(dribble) {
  return new Promise((resolve) => {
    const c = { dribble, data: '', openedAt: 0, closedAt: null, error: null, timer: null }
    const socket = net.connect({ host: '127.0.0.1', port: Number(env.port) })
    c.socket = socket
    socket.setNoDelay(true)
    socket.on('connect', () => {
      c.openedAt = Date.now()
      if (dribble) {
        let i = 0
        const send = () => {
          if (c.closedAt !== null || socket.destroyed) return
          socket.write(i < HEAD.length ? HEAD[i] : 'a')
          i++
        }
        send()
        c.timer = setInterval(send, 1000)
      }
      resolve(c)
    })
    socket.on('data', (d) => { if (c.data.length < 512) c.data += d.toString('latin1') })
    socket.on('error', (e) => { c.error = c.error || e.code })
    socket.on('close', () => {
      c.closedAt = c.closedAt ?? Date.now()
      clearInterval(c.timer)
      if (!c.openedAt) resolve(c)
    })
  })
}

test('half-sent and silent connections are closed within the header timeout', async () => {
  const { limit, dribblers, silent } = sizeAttack()
  console.log(`open-file limit ${limit}: ${dribblers} dribbling and ${silent} silent connections`)
  const canary = await Canary.start()
  const sampler = sampleRss()
  const probes = healthProbes(500)
  const problems = new Problems()

  const conns = []
  const kinds = [...Array(dribblers).fill(true), ...Array(silent).fill(false)]
  for (let i = 0; i < kinds.length; i += 100) {
    conns.push(...(await Promise.all(kinds.slice(i, i + 100).map(open))))
  }
  const failedToOpen = conns.filter((c) => !c.openedAt)
  problems.expect(failedToOpen.length === 0, `${failedToOpen.length} attacking connections could not be opened: ${failedToOpen[0]?.error}`)
  const opened = conns.filter((c) => c.openedAt)
  const lastOpened = Math.max(...opened.map((c) => c.openedAt))
  console.log(`opened ${opened.length} connections in ${lastOpened - Math.min(...opened.map((c) => c.openedAt))} ms`)

  // Wait (bounded) until every connection is closed or has been open longer than allowed.
  const deadline = lastOpened + CLOSE_WITHIN_MS + 500
  while (Date.now() < deadline && opened.some((c) => c.closedAt === null)) {
    await new Promise((r) => setTimeout(r, 100))
  }
  for (const c of opened) {
    clearInterval(c.timer)
    c.socket.destroy()
  }

  const late = opened.filter((c) => c.closedAt === null || c.closedAt - c.openedAt > CLOSE_WITHIN_MS)
  const lateDribblers = late.filter((c) => c.dribble).length
  const closeTimes = opened.filter((c) => c.closedAt !== null).map((c) => c.closedAt - c.openedAt).sort((a, b) => a - b)
  console.log(`closed by the server within ${CLOSE_WITHIN_MS} ms: ${opened.length - late.length} of ${opened.length}`
    + (closeTimes.length ? ` (median ${closeTimes[closeTimes.length >> 1]} ms, max ${closeTimes.at(-1)} ms)` : ''))
  problems.expect(late.length === 0, `${late.length} of ${opened.length} connections (${lateDribblers} dribbling, `
    + `${late.length - lateDribblers} silent) were not closed within ${CLOSE_WITHIN_MS} ms of opening`)
  const no408 = opened.filter((c) => c.dribble && c.closedAt !== null && !c.data.startsWith('HTTP/1.1 408'))
  problems.expect(no408.length === 0, `${no408.length} dribbling connections were closed without HTTP/1.1 408 `
    + `(first got ${JSON.stringify(no408[0]?.data.slice(0, 40))}, ${no408[0]?.error || 'no error'})`)

  const { count, failures } = await probes.stop()
  problems.expect(failures.length === 0, `${failures.length} of ${count} /health probes during the attack failed: ${failures.slice(0, 5).join('; ')}`)
  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
  assert.ok(count >= 10, `only ${count} health probes ran`)
})
