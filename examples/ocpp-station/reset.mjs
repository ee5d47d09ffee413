// Sends a remote Reset to a station: a broadcast of {"command":"Reset",...} to the stream its
// OCPPChannel streams from (ev/<sn>); the server turns it into [2, id, "Reset", {...}] for the station.
// Usage: node reset.mjs [serial number, default SN-001] [Soft|Hard, default Soft].
// Env: BROADCAST_URL (default http://localhost:8090/_broadcast).
import { randomUUID } from 'node:crypto'

const url = process.env.BROADCAST_URL || 'http://localhost:8090/_broadcast'
const serial = process.argv[2] || 'SN-001'
const type = process.argv[3] || 'Soft'
const id = `reset-${randomUUID().slice(0, 8)}`

const res = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ stream: `ev/${serial}`, data: JSON.stringify({ command: 'Reset', id, payload: { type } }) }),
})
console.log(`Reset ${id} to ev/${serial}: ${res.status}`)
if (!res.ok) process.exitCode = 1
