// A legitimate but heavy load for a server started with a tiny heap (--public, -Xmx48m): many
// connections, each subscribing to up to 1,000 public streams with long names, until the server
// runs out of memory. The JUnit side watches the process: it must exit by itself, naming
// OutOfMemoryError, instead of hanging. This file stops by itself: when the server process is gone,
// when every subscription was answered, or after LOAD_MS.
import { test } from 'node:test'
import WebSocket from 'ws'
import { env, serverAlive, tick } from './lib.mjs'

const LOAD_MS = Number(process.env.LOAD_MS || 60_000)
const CONNECTIONS = 100
const PER_CONNECTION = 1000 // within the default --max_subscriptions_per_connection
const NAME = 'n'.repeat(8 * 1024)

test('heavy load until the server is gone', { timeout: LOAD_MS + 30_000 }, async () => {
  const t0 = Date.now()
  const stopAt = t0 + LOAD_MS
  let confirmed = 0
  let closed = 0
  const sockets = []
  const running = () => Date.now() < stopAt && serverAlive()

  async function client(n) {
    const ws = new WebSocket(env.url, ['actioncable-v1-json'])
    sockets.push(ws)
    ws.on('error', () => {})
    ws.on('message', (d) => { if (d.length < 20_000 && d.includes('confirm_subscription')) confirmed++ })
    const opened = await new Promise((resolve) => {
      ws.once('open', () => resolve(true))
      ws.once('close', () => resolve(false))
    })
    if (!opened) return
    ws.once('close', () => { closed++ })
    for (let i = 0; i < PER_CONNECTION && running() && ws.readyState === WebSocket.OPEN; i++) {
      ws.send(JSON.stringify({ command: 'subscribe', identifier: JSON.stringify({ channel: '$pubsub', stream_name: `${n}-${i}-${NAME}` }) }))
      if (i % 32 === 0) await tick()
      if (ws.bufferedAmount > 256 * 1024) {
        await new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer)
            ws._socket.off('drain', done)
            resolve()
          }
          const timer = setTimeout(done, 500)
          ws._socket.once('drain', done)
        })
      }
    }
  }

  const progress = setInterval(() => console.log(`+${Date.now() - t0} ms: ${confirmed} subscriptions confirmed, `
    + `${closed} connections closed, server ${serverAlive() ? 'alive' : 'gone'}`), 2000)
  for (let n = 0; n < CONNECTIONS && running(); n += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => client(n + k)))
  }
  // Keep the connections open (the load stays) until the server is gone or the time is up.
  while (running()) await new Promise((r) => setTimeout(r, 250))
  clearInterval(progress)
  console.log(`load ended after ${Date.now() - t0} ms: ${confirmed} confirmed; server ${serverAlive() ? 'still alive' : 'gone'}`)
  for (const ws of sockets) ws.terminate()
})
