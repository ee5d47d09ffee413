// The REST API on a port of its own. Server flags: --public --broker=memory --api_port=<API_PORT>
// --api_path=/rest
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient, pubsub } from './lib/cable.mjs'

const api = `http://127.0.0.1:${process.env.API_PORT}/rest`

test('--api_port and --api_path: the API listens there, and not on the main port', async () => {
  const c = await RawClient.connect()
  await c.next()
  const id = pubsub('own-port')
  await c.subscribe(id)
  const res = await fetch(`${api}/publish`, { method: 'POST', body: JSON.stringify({ stream: 'own-port', data: '"via the API port"' }) })
  assert.equal(res.status, 201)
  assert.equal((await c.next()).message, 'via the API port')
  c.send({ command: 'join', identifier: id, presence: { id: 'me' } })
  await c.next((m) => m.type === 'presence')
  const users = await fetch(`${api}/presence/own-port/users`)
  assert.deepEqual(await users.json(), { type: 'info', total: 1, records: [{ id: 'me' }] })
  assert.equal((await fetch(`http://127.0.0.1:${env.port}/rest/presence/own-port/users`)).status, 404)
  assert.equal((await fetch(`http://127.0.0.1:${process.env.API_PORT}/elsewhere`)).status, 404)
  c.close()
})
