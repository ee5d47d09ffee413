// Graceful shutdown: the node test sends SIGTERM to the server (SERVER_PID) itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient } from './lib/cable.mjs'

test('SIGTERM tells every client the server restarts, then closes with 1001', async () => {
  const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect()))
  await Promise.all(clients.map((c) => c.next()))
  process.kill(env.serverPid, 'SIGTERM')
  for (const c of clients) {
    assert.deepEqual(await c.next(), { type: 'disconnect', reason: 'server_restart', reconnect: true })
    assert.equal((await c.closed).code, 1001)
  }
})
