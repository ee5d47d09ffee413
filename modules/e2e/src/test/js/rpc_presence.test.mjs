// Presence set by the application over RPC (anyt's presence scenarios). Server flags:
// --rpc_host=<app> --broker=memory --presence_ttl=2.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient } from './lib/cable.mjs'
import { startApp } from './lib/rpc_app.mjs'

let stopApp
before(async () => {
  stopApp = await startApp({ mode: process.env.RPC_MODE, port: Number(process.env.RPC_PORT) })
})
after(() => stopApp && stopApp())

const EXT = ['actioncable-v1-ext-json']
const presenceOf = (c) => c.next((m) => m.type === 'presence')

async function welcomed(qs, protocols = ['actioncable-v1-json']) {
  const c = await RawClient.connect(`${env.url}${qs}`, protocols)
  assert.equal((await c.next()).type, 'welcome')
  return c
}

test('join and leave while performing actions reach every subscriber, the performer included', async () => {
  const identifier = JSON.stringify({ channel: 'Presence' })
  const c1 = await welcomed('')
  const c2 = await welcomed('?user_id=2024', EXT)
  await c1.subscribe(identifier)
  await c2.subscribe(identifier)
  c2.send({ command: 'message', identifier, data: JSON.stringify({ action: 'follow', name: 'Vova' }) })
  const join = { type: 'presence', identifier, message: { type: 'join', id: '2024', info: { name: 'Vova' } } }
  assert.deepEqual(await presenceOf(c1), join)
  assert.deepEqual(await presenceOf(c2), join)
  c2.send({ command: 'message', identifier, data: JSON.stringify({ action: 'unfollow' }) })
  const leave = { type: 'presence', identifier, message: { type: 'leave', id: '2024' } }
  assert.deepEqual(await presenceOf(c1), leave)
  assert.deepEqual(await presenceOf(c2), leave)
  c1.close()
  c2.close()
})

test('an implicit join on subscribe; the leave follows the disconnect after presence_ttl', async () => {
  const watching = JSON.stringify({ channel: 'Presence' })
  const joining = (name) => JSON.stringify({ channel: 'Presence', join: true, name })
  const c1 = await welcomed('')
  await c1.subscribe(watching)
  const bart = await welcomed('?user_id=2024', EXT)
  await bart.subscribe(joining('Bart'))
  assert.deepEqual((await presenceOf(c1)).message, { type: 'join', id: '2024', info: { name: 'Bart' } })
  const lisa = await welcomed('?user_id=2025', EXT)
  await lisa.subscribe(joining('Lisa'))
  assert.deepEqual((await presenceOf(c1)).message, { type: 'join', id: '2025', info: { name: 'Lisa' } })
  assert.deepEqual((await presenceOf(lisa)).message, { type: 'join', id: '2025', info: { name: 'Lisa' } })
  bart.close()
  assert.deepEqual((await presenceOf(c1)).message, { type: 'leave', id: '2024' })
  assert.deepEqual((await presenceOf(lisa)).message, { type: 'leave', id: '2024' })
  c1.close()
  lisa.close()
})
