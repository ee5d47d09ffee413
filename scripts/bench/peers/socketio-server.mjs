// Peer: a Socket.IO 4 server with default settings. Clients join by connecting; every body POSTed
// to /_broadcast as {"stream", "data"} is emitted to all as the event "message" with `data`
// parsed.   node socketio-server.mjs --port 8082
import http from 'node:http'
import { Server } from 'socket.io'

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8082)
const server = http.createServer()
const io = new Server(server, { transports: ['websocket'] })
server.on('request', (req, res) => {
  if (req.url.startsWith('/socket.io')) return
  if (req.method !== 'POST' || req.url !== '/_broadcast') {
    res.writeHead(404).end()
    return
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const { data } = JSON.parse(Buffer.concat(chunks).toString())
    io.emit('message', JSON.parse(data))
    res.writeHead(201).end()
  })
})
server.listen(port, '127.0.0.1', () => console.log(`socket.io peer listening on ${port}`))
