// A two-user chat on a public stream: each user receives the other's whispers ("typing…") and
// every broadcast. Run the server with `scripts/anycable --public`, then `npm install && npm start`.
import WebSocket from 'ws'
import { createCable } from '@anycable/core'

const url = process.env.CABLE_URL || 'ws://localhost:8080/cable'
const broadcastUrl = process.env.BROADCAST_URL || 'http://localhost:8090/_broadcast'

function user(name) {
  const cable = createCable(url, { websocketImplementation: WebSocket, logLevel: 'warn' })
  const room = cable.streamFrom('chat/lobby')
  room.on('message', (msg) => console.log(`[${name}] got`, JSON.stringify(msg)))
  return { cable, room }
}

const alice = user('alice')
const bob = user('bob')
await Promise.all([alice.room.ensureSubscribed(), bob.room.ensureSubscribed()])

// A whisper reaches the other subscribers only (public streams always allow whispers).
alice.room.whisper({ event: 'typing', from: 'alice' })

// A broadcast from the application side reaches everybody.
const res = await fetch(broadcastUrl, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ stream: 'chat/lobby', data: JSON.stringify({ from: 'server', text: 'hello, both' }) }),
})
console.log('broadcast answered', res.status)

setTimeout(() => {
  alice.cable.disconnect()
  bob.cable.disconnect()
}, 1000)
