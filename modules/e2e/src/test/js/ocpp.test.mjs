// OCPP 1.6-J: the published `ocpp-rpc` client as a charging station against the packaged server
// (--ocpp_path=/ocpp), with an OCPPChannel application over HTTP RPC defined here.
// Env: CABLE_PORT, RPC_PORT, BROADCAST_URL. Server flags: --ocpp_path=/ocpp
// --rpc_host=http://127.0.0.1:<RPC_PORT> --ping_interval=<n>
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import ocpp from 'ocpp-rpc'
import { broadcast, sleep } from './lib/cable.mjs'

const { RPCClient } = ocpp
const SUCCESS = 1
const calls = { connect: [], command: [], disconnect: [] }
const actions = () => calls.command.filter((c) => c.command === 'message').map((c) => JSON.parse(c.data))

async function until(check, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

// The application: OCPPChannel streams each station from ev/<sn>; Authorize, StartTransaction and
// StopTransaction are acknowledged by the channel itself, everything else by the server's default.
function command(req) {
  calls.command.push(req)
  const { identifier } = req
  const ok = (transmissions = [], streams = []) => ({ status: SUCCESS, transmissions, streams, stopped_streams: [] })
  if (req.command === 'subscribe') {
    const { channel, sn } = JSON.parse(identifier)
    if (channel !== 'OCPPChannel') return { status: 2, transmissions: [JSON.stringify({ identifier, type: 'reject_subscription' })] }
    return ok([JSON.stringify({ identifier, type: 'confirm_subscription' })], [`ev/${sn}`])
  }
  const data = JSON.parse(req.data || '{}')
  const ack = (payload) => ok([JSON.stringify({ identifier, message: { command: 'Ack', id: data.id, payload } })])
  switch (data.action) {
    case 'authorize': return ack({ idTagInfo: { status: data.payload.idTag === 'TAG-OK' ? 'Accepted' : 'Invalid' } })
    case 'start_transaction': return ack({ transactionId: 42, idTagInfo: { status: 'Accepted' } })
    case 'stop_transaction': return ack({ idTagInfo: { status: 'Accepted' } })
    default: return ok()
  }
}

const app = http.createServer(async (req, res) => {
  const chunks = []
  for await (const c of req) chunks.push(c)
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
  const method = req.url.split('/').pop()
  let result
  if (method === 'connect') {
    calls.connect.push(body)
    const station = new URL(body.env.url).pathname.split('/').pop()
    result = { status: SUCCESS, identifiers: JSON.stringify({ station }), transmissions: [JSON.stringify({ type: 'welcome' })] }
  } else if (method === 'command') {
    result = command(body)
  } else {
    calls.disconnect.push(body)
    result = { status: SUCCESS }
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result))
})
await new Promise((resolve) => app.listen(Number(process.env.RPC_PORT), '127.0.0.1', resolve))
after(() => new Promise((resolve) => { app.closeAllConnections(); app.close(resolve) }))

const station = (identity, strictMode = false) => new RPCClient({
  endpoint: `ws://127.0.0.1:${process.env.CABLE_PORT}/ocpp`, identity, protocols: ['ocpp1.6'],
  strictMode, reconnect: false, callTimeoutMs: 10000,
})

test('a station boots, charges, heartbeats and takes a remote Reset sent by broadcast', async () => {
  const cli = station('CS-001')
  const resets = []
  cli.handle('Reset', ({ params }) => { resets.push(params); return { status: 'Accepted' } })
  await cli.connect()
  assert.equal(cli.protocol, 'ocpp1.6')

  const boot = await cli.call('BootNotification', { chargePointVendor: 'acme', chargePointModel: 'm1', meterSerialNumber: 'SN-1' })
  assert.equal(boot.status, 'Accepted')
  assert.equal(boot.interval, 4)
  assert.ok(!Number.isNaN(Date.parse(boot.currentTime)), boot.currentTime)
  assert.match(calls.connect[0].env.url, /\/ocpp\/CS-001$/)
  const sub = calls.command.find((c) => c.command === 'subscribe')
  assert.deepEqual(JSON.parse(sub.identifier), { channel: 'OCPPChannel', sn: 'SN-1', station_id: 'CS-001' })
  assert.deepEqual(actions()[0], { action: 'boot_notification', id: actions()[0].id, command: 'BootNotification',
    payload: { chargePointVendor: 'acme', chargePointModel: 'm1', meterSerialNumber: 'SN-1' } })

  const beat = await cli.call('Heartbeat', {})
  assert.ok(!Number.isNaN(Date.parse(beat.currentTime)))
  assert.equal(actions().length, 1, 'heartbeats are answered by the server')

  assert.deepEqual(await cli.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }),
    { status: 'Accepted' })
  assert.deepEqual(await cli.call('Authorize', { idTag: 'TAG-OK' }), { idTagInfo: { status: 'Accepted' } })
  assert.deepEqual(await cli.call('Authorize', { idTag: 'nope' }), { idTagInfo: { status: 'Invalid' } })
  const started = await cli.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: new Date().toISOString() })
  assert.equal(started.transactionId, 42)
  assert.deepEqual(await cli.call('StopTransaction', { transactionId: 42, idTag: 'TAG-OK', meterStop: 10, timestamp: new Date().toISOString() }),
    { idTagInfo: { status: 'Accepted' } })
  assert.deepEqual(actions().map((a) => a.action), ['boot_notification', 'status_notification', 'authorize', 'authorize',
    'start_transaction', 'stop_transaction'])
  assert.equal(actions()[4].payload.connectorId, 1)

  const status = await broadcast({ stream: 'ev/SN-1', data: JSON.stringify({ command: 'Reset', id: 'reset-1', payload: { type: 'Soft' } }) })
  assert.ok(status < 300, `broadcast status ${status}`)
  await until(() => resets.length === 1, 'the Reset call')
  assert.deepEqual(resets[0], { type: 'Soft' })
  const ack = await until(() => actions().find((a) => a.action === 'ack'), 'the ack action')
  assert.deepEqual(ack, { action: 'ack', id: 'reset-1', command: 'Ack', payload: { status: 'Accepted' } })

  await cli.close()
  const bye = await until(() => calls.disconnect[0], 'the Disconnect call')
  assert.equal(bye.identifiers, JSON.stringify({ station: 'CS-001' }))
  assert.deepEqual(bye.subscriptions.map((s) => JSON.parse(s).channel), ['OCPPChannel'])
})

test('a strict station accepts the default BootNotification and Heartbeat answers', async () => {
  const cli = station('CS-STRICT', true)
  await cli.connect()
  const boot = await cli.call('BootNotification', { chargePointVendor: 'acme', chargePointModel: 'm2', meterSerialNumber: 'SN-2' })
  assert.equal(boot.status, 'Accepted')
  assert.ok((await cli.call('Heartbeat', {})).currentTime)
  await cli.close()
})
