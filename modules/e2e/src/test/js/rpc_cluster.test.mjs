// The RPC bridge in a process of its own: a gateway process (no RPC client of its own) and an rpc
// process joined by the clustered event bus, in front of a gRPC application (RPC_PORT). The
// application's connect, commands and disconnect all cross the bus.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient, sleep } from './lib/cable.mjs'
import { startApp, calls } from './lib/rpc_app.mjs'

let stopApp
before(async () => {
  stopApp = await startApp({ mode: 'grpc', port: Number(process.env.RPC_PORT) })
})
after(() => stopApp && stopApp())

test('connect, subscribe and perform go through the rpc process; disconnect too', async () => {
  const c = await RawClient.connect(`${env.url}?user_id=7`)
  const welcome = await c.next()
  assert.equal(welcome.type, 'welcome')
  assert.equal(calls.connect.length, 1, 'the application authenticated the connection')
  const identifier = JSON.stringify({ channel: 'Transmitter' })
  c.send({ command: 'subscribe', identifier })
  assert.deepEqual([await c.next(), await c.next(), await c.next()], [
    { identifier, message: 'hello' }, { identifier, message: 'world' }, { identifier, type: 'confirm_subscription' },
  ])
  c.send({ command: 'message', identifier, data: JSON.stringify({ action: 'echo', text: 'across the bus' }) })
  assert.deepEqual(await c.next(), { identifier, message: { response: 'across the bus' } })
  c.close()
  for (let i = 0; i < 100 && calls.disconnect.length === 0; i++) await sleep(50)
  assert.equal(calls.disconnect.length, 1, 'Disconnect reached the application')
  assert.deepEqual(calls.disconnect[0].req.subscriptions, [identifier])
})
