// A write front for running the Durable Streams conformance suite against vxcable, whose Durable
// Streams API is read-only (streams are written by broadcasting). The suite's writes are turned
// into publications; its reads are passed through untouched:
//   PUT <path>            creates nothing (any stream can be read); a body is appended as by POST
//   POST <path>           appends: application/json bodies are one message per array element
//                         (a non-array is one message), as the protocol's JSON mode says; an
//                         empty body, an empty array or invalid JSON is 400; other content types
//                         are published as text (the server then serves them as JSON strings)
//   DELETE <path>         204, and nothing happens (streams cannot be deleted)
//   GET/HEAD/OPTIONS      proxied to <server><dsPath><path>?<query>, streamed (SSE included)
// The stream of <path> is <path> without its leading slash, as the server reads <dsPath>/<stream>.
import http from 'node:http'

const readBody = (req) => new Promise((resolve, reject) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => resolve(Buffer.concat(chunks)))
  req.on('error', reject)
})

/** Starts the front on a free port; resolves { url, close }. */
export async function startShim({ serverPort, dsPath = '/ds', broadcastUrl, broadcastKey = '' }) {
  const streamOf = (url) => decodeURIComponent(new URL(url, 'http://x').pathname.slice(1))

  async function publish(stream, datas) {
    const headers = { 'Content-Type': 'application/json' }
    if (broadcastKey) headers.Authorization = `Bearer ${broadcastKey}`
    const body = JSON.stringify(datas.map((data) => ({ stream, data })))
    const res = await fetch(broadcastUrl, { method: 'POST', headers, body })
    if (res.status !== 201) throw new Error(`broadcast answered ${res.status}`)
  }

  async function tail(path) {
    const res = await fetch(`http://127.0.0.1:${serverPort}${dsPath}${path}`, { method: 'HEAD' })
    return res.headers.get('stream-next-offset') ?? '0'
  }

  async function append(req, res, body, created) {
    const type = (req.headers['content-type'] || '').toLowerCase()
    const path = new URL(req.url, 'http://x').pathname
    let datas
    if (body.length === 0) {
      if (!created) return res.writeHead(400).end()
      datas = []
    } else if (type.startsWith('application/json')) {
      let value
      try {
        value = JSON.parse(body.toString('utf8'))
      } catch {
        return res.writeHead(400).end()
      }
      if (Array.isArray(value)) {
        if (value.length === 0 && !created) return res.writeHead(400).end()
        datas = value.map((v) => JSON.stringify(v))
      } else {
        datas = [JSON.stringify(value)]
      }
    } else {
      datas = [body.toString('utf8')]
    }
    if (datas.length > 0) await publish(streamOf(req.url), datas)
    const headers = { 'Stream-Next-Offset': await tail(path), 'X-Content-Type-Options': 'nosniff' }
    if (created) {
      headers['Content-Type'] = req.headers['content-type'] || 'application/octet-stream'
      headers.Location = `http://${req.headers.host}${path}`
    }
    res.writeHead(created ? 201 : 204, headers).end()
  }

  function proxy(req, res) {
    const upstream = http.request({
      host: '127.0.0.1', port: serverPort, method: req.method, path: dsPath + req.url,
      headers: { ...req.headers, host: `127.0.0.1:${serverPort}` },
    }, (up) => {
      res.writeHead(up.statusCode, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method === 'PUT' || req.method === 'POST') {
        await append(req, res, await readBody(req), req.method === 'PUT')
      } else if (req.method === 'DELETE') {
        res.writeHead(204).end()
      } else {
        proxy(req, res)
      }
    } catch (e) {
      res.writeHead(502).end(String(e))
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
