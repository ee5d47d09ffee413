// Shutdown with pending Disconnect calls. Server flags: --rpc_host=127.0.0.1:<RPC_PORT>
// --disconnect_mode=always --disconnect_rate=1 (the queue is flushed, not throttled, on shutdown)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient, sleep } from './lib/cable.mjs'
import { startApp, calls } from './lib/rpc_app.mjs'

test('SIGTERM: every client gets server_restart and every Disconnect call reaches the application', async () => {
  const stop = await startApp({ mode: 'grpc', port: Number(process.env.RPC_PORT) })
  const clients = []
  for (let i = 0; i < 3; i++) {
    const c = await RawClient.connect(`${env.url}?uid=u${i}`)
    assert.equal((await c.next()).type, 'welcome')
    clients.push(c)
  }
  process.kill(env.serverPid, 'SIGTERM')
  for (const c of clients) {
    assert.deepEqual(await c.next(), { type: 'disconnect', reason: 'server_restart', reconnect: true })
    assert.equal((await c.closed).code, 1001)
  }
  for (let i = 0; i < 100 && calls.disconnect.length < 3; i++) await sleep(100)
  assert.equal(calls.disconnect.length, 3)
  assert.deepEqual(new Set(calls.disconnect.map((d) => d.req.identifiers)),
    new Set(['u0', 'u1', 'u2'].map((uid) => JSON.stringify({ uid }))))
  await stop()
})
