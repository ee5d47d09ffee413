// An in-process TCP proxy for drop tests: `cut()` destroys every open connection and refuses new
// ones until `restore()`. `upstream()` picks the port of each new connection's server.
import net from 'node:net'

export async function createProxy(upstream) {
  const sockets = new Set()
  const ports = []
  let down = false
  const server = net.createServer((client) => {
    if (down) return client.destroy()
    const port = upstream()
    ports.push(port)
    const target = net.connect(port, '127.0.0.1')
    for (const s of [client, target]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    }
    client.pipe(target).pipe(client)
    client.on('close', () => target.destroy())
    target.on('close', () => client.destroy())
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: server.address().port,
    /** The upstream port of every connection so far, in order. */
    upstreams: ports,
    cut() {
      down = true
      for (const s of sockets) s.destroy()
    },
    restore() {
      down = false
    },
    close() {
      server.close()
    },
  }
}
