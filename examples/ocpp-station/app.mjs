// An OCPPChannel application over AnyCable HTTP RPC, with node:http only. The server turns each
// station's OCPP calls into actions of this channel (boot_notification, status_notification,
// authorize, start_transaction, stop_transaction, ...) and the station's answers to remote
// commands into `ack` (or `error`). Each station streams from ev/<sn>, so a broadcast there
// ({"command":"Reset",...}, see reset.mjs) becomes a call to the station.
// Env: PORT (default 3000).
import http from 'node:http'

const PORT = Number(process.env.PORT || 3000)
const SUCCESS = 1
const FAILURE = 2
let nextTransaction = 1

const reply = (transmissions = [], streams = []) => ({ status: SUCCESS, transmissions, streams, stopped_streams: [] })

function command(req) {
  const { identifier } = req
  const params = JSON.parse(identifier)
  if (req.command === 'subscribe') {
    if (params.channel !== 'OCPPChannel') {
      return { status: FAILURE, transmissions: [JSON.stringify({ identifier, type: 'reject_subscription' })] }
    }
    console.log(`[app] station ${params.station_id} (sn ${params.sn}) streams from ev/${params.sn}`)
    return reply([JSON.stringify({ identifier, type: 'confirm_subscription' })], [`ev/${params.sn}`])
  }
  if (req.command === 'unsubscribe') return { ...reply(), stop_streams: true }

  const data = JSON.parse(req.data || '{}')
  const station = params.station_id
  // The channel's own answer to the call: [3, id, payload] for the station.
  const ack = (payload) => reply([JSON.stringify({ identifier, message: { command: 'Ack', id: data.id, payload } })])
  switch (data.action) {
    case 'boot_notification':
      // No answer here: the server sends the default {status: Accepted, currentTime, interval}.
      console.log(`[app] ${station} booted: ${data.payload.chargePointVendor} ${data.payload.chargePointModel}`)
      return reply()
    case 'status_notification':
      console.log(`[app] ${station} connector ${data.payload.connectorId} is ${data.payload.status}`)
      return ack({}) // StatusNotification.conf is an empty object
    case 'authorize': {
      const status = data.payload.idTag.startsWith('TAG-') ? 'Accepted' : 'Invalid'
      console.log(`[app] ${station} authorize ${data.payload.idTag}: ${status}`)
      return ack({ idTagInfo: { status } })
    }
    case 'start_transaction': {
      const transactionId = nextTransaction++
      console.log(`[app] ${station} started transaction ${transactionId} on connector ${data.payload.connectorId}`)
      return ack({ transactionId, idTagInfo: { status: 'Accepted' } })
    }
    case 'stop_transaction':
      console.log(`[app] ${station} stopped transaction ${data.payload.transactionId} at ${data.payload.meterStop} Wh`)
      return ack({ idTagInfo: { status: 'Accepted' } })
    case 'ack':
      // The station's answer to a remote command (reset.mjs).
      console.log(`[app] ${station} ack ${data.id}: ${JSON.stringify(data.payload)}`)
      return reply()
    case 'error':
      console.log(`[app] ${station} error ${data.id}: ${data.code} ${data.message}`)
      return reply()
    default:
      // Any other call gets the server's default answer {status: Accepted}.
      console.log(`[app] ${station} ${data.action}: ${JSON.stringify(data.payload)}`)
      return reply()
  }
}

const server = http.createServer(async (req, res) => {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
  const method = req.url.split('?')[0].split('/').pop()
  let answer
  if (method === 'connect') {
    // The station id is the last segment of the WebSocket URL: ws://host/ocpp/<station id>.
    const station = decodeURIComponent(new URL(body.env.url).pathname.split('/').pop())
    console.log(`[app] connect ${station}`)
    answer = { status: SUCCESS, identifiers: JSON.stringify({ station }), transmissions: [JSON.stringify({ type: 'welcome' })] }
  } else if (method === 'command') {
    answer = command(body)
  } else if (method === 'disconnect') {
    console.log(`[app] disconnect ${body.identifiers}`)
    answer = { status: SUCCESS }
  } else {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer))
})

server.listen(PORT, '127.0.0.1', () => console.log(`[app] OCPPChannel RPC on http://127.0.0.1:${PORT}/_anycable`))
