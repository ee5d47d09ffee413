// Peer: a bare `ws` server. Every text body POSTed to /_broadcast as {"stream", "data"} is sent
// as `data` to every connected client (no channels, no protocol): the floor a real-time server
// is measured against.   node ws-server.mjs --port 8081
import http from 'node:http'
import { WebSocketServer, WebSocket } from 'ws'

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8081)
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/_broadcast') {
    res.writeHead(404).end()
    return
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const { data } = JSON.parse(Buffer.concat(chunks).toString())
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(data)
    res.writeHead(201).end()
  })
})
const wss = new WebSocketServer({ server, perMessageDeflate: false })
server.listen(port, '127.0.0.1', () => console.log(`ws peer listening on ${port}`))
