// Faults between the server and an HTTP RPC application. Server flags: --rpc_host=http://127.0.0.1:<RPC_PORT>
// --http_rpc_secret=right --rpc_command_timeout=1000
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient } from './lib/cable.mjs'
import { startApp } from './lib/rpc_app.mjs'

const port = Number(process.env.RPC_PORT)
const plain = JSON.stringify({ channel: 'Perform' })

async function connectOutcome() {
  const c = await RawClient.connect()
  const first = await Promise.race([c.next(), c.closed.then((x) => ({ closed: x.code }))])
  return { c, first }
}

test('with the application down, connections close with 1011 quickly and the server stays up', async () => {
  const started = Date.now()
  const { first } = await connectOutcome()
  assert.deepEqual(first, { closed: 1011 })
  assert.ok(Date.now() - started < 5000, 'bounded by the command timeout')
  assert.equal((await fetch(`http://127.0.0.1:${env.port}/health`)).status, 200)
})

test('a 401 from the application is an authentication error, not retried', async () => {
  const stop = await startApp({ mode: 'http', port, secret: 'another-secret' })
  const { first } = await connectOutcome()
  assert.deepEqual(first, { closed: 1011 })
  await stop()
})

test('the server recovers by itself when the application comes back, and survives it going away mid-traffic', async () => {
  let stop = await startApp({ mode: 'http', port, secret: 'right' })
  const { c, first } = await connectOutcome()
  assert.equal(first.type, 'welcome')
  assert.equal((await c.subscribe(plain)).type, 'confirm_subscription')
  await stop()
  c.send({ command: 'message', identifier: plain, data: JSON.stringify({ action: 'tick' }) })
  await c.expectNothing(1500) // the perform fails silently, the connection stays
  stop = await startApp({ mode: 'http', port, secret: 'right' })
  c.send({ command: 'message', identifier: plain, data: JSON.stringify({ action: 'tick' }) })
  assert.deepEqual(await c.next(), { identifier: plain, message: 'tock' })
  c.close()
  await stop()
})

test('a slow application times out within the command budget', async () => {
  const stop = await startApp({ mode: 'http', port, secret: 'right', delayMs: 3000 })
  const started = Date.now()
  const { first } = await connectOutcome()
  assert.deepEqual(first, { closed: 1011 })
  assert.ok(Date.now() - started < 2900, `gave up after ${Date.now() - started} ms`)
  await stop()
})
