// A charging-station simulator on ocpp-rpc: boots, heartbeats, reports its connector, authorizes a
// tag, charges (start and stop a transaction), then waits for remote commands. A Reset (reset.mjs)
// is accepted and ends the simulation.
// Env: OCPP_URL (default ws://localhost:8080/ocpp), STATION_ID (CS-001), SERIAL (SN-001).
import ocpp from 'ocpp-rpc'

const { RPCClient } = ocpp
const identity = process.env.STATION_ID || 'CS-001'
const serial = process.env.SERIAL || 'SN-001'

const station = new RPCClient({
  endpoint: process.env.OCPP_URL || 'ws://localhost:8080/ocpp',
  identity,
  protocols: ['ocpp1.6'],
  strictMode: true,
  reconnect: false,
})

let heartbeats
station.on('close', () => clearInterval(heartbeats))

station.handle('Reset', ({ params }) => {
  console.log(`${identity}: remote Reset (${params.type}) received`)
  setTimeout(() => station.close().then(() => console.log(`${identity}: connection closed`)), 200)
  return { status: 'Accepted' }
})
station.handle(({ method }) => {
  console.log(`${identity}: remote ${method} is not supported`)
  throw ocpp.createRPCError('NotImplemented')
})

await station.connect()
console.log(`${identity}: connected with ${station.protocol}`)

const boot = await station.call('BootNotification', { chargePointVendor: 'vxcable', chargePointModel: 'sim-1', meterSerialNumber: serial })
console.log(`${identity}: boot ${boot.status} (heartbeat every ${boot.interval} s)`)

const beat = await station.call('Heartbeat', {})
console.log(`${identity}: heartbeat, server time ${beat.currentTime}`)

await station.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' })
console.log(`${identity}: connector 1 reported Available`)

const auth = await station.call('Authorize', { idTag: 'TAG-001' })
console.log(`${identity}: authorize TAG-001 ${auth.idTagInfo.status}`)

const started = await station.call('StartTransaction', { connectorId: 1, idTag: 'TAG-001', meterStart: 0, timestamp: new Date().toISOString() })
console.log(`${identity}: transaction ${started.transactionId} started`)

const stopped = await station.call('StopTransaction', { transactionId: started.transactionId, idTag: 'TAG-001', meterStop: 1250,
  timestamp: new Date().toISOString() })
console.log(`${identity}: transaction ${started.transactionId} stopped (${stopped.idTagInfo.status})`)

// Keep the heartbeat the boot answer asked for while waiting.
heartbeats = setInterval(() => station.call('Heartbeat', {}).catch(() => {}), boot.interval * 1000)
console.log(`${identity}: waiting for remote commands; send a Reset with: node reset.mjs ${serial}`)
