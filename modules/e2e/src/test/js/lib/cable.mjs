// Helpers shared by the black-box tests: a recording raw WebSocket client, publishing over HTTP,
// signed stream names and JWTs. The server under test is started by the JUnit side, which passes
// its coordinates in the environment.
import WebSocket from 'ws'
import { createHmac } from 'node:crypto'
import jwt from 'jsonwebtoken'

export const env = {
  port: process.env.CABLE_PORT,
  url: process.env.CABLE_URL,                 // ws://127.0.0.1:<port>/cable
  base: `ws://127.0.0.1:${process.env.CABLE_PORT}`,
  broadcastUrl: process.env.BROADCAST_URL,    // http://127.0.0.1:<port>/_broadcast
  broadcastKey: process.env.BROADCAST_KEY || '',
  secret: process.env.SECRET || '',
  serverPid: Number(process.env.SERVER_PID || 0),
}

export const isPing = (m) => m.type === 'ping'

/** A raw WebSocket client that records every frame and awaits them by predicate. */
export class RawClient {
  static async connect(url = env.url, protocols = ['actioncable-v1-json'], options = {}) {
    const c = new RawClient(new WebSocket(url, protocols, options))
    await c.opened
    return c
  }

  constructor(ws) {
    this.ws = ws
    this.frames = []
    this.waiters = []
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('unexpected-response', (req, res) => {
        // With this listener, ws leaves the request open: release it, or node never exits.
        req.destroy()
        res.resume()
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }))
      })
      ws.once('error', reject)
    })
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      this.frames.push(frame)
      this.waiters = this.waiters.filter((w) => !w.tryTake())
    })
  }

  /** The next recorded frame (not yet taken) matching `accept`, skipping pings by default. */
  next(accept = (m) => !isPing(m), timeoutMs = 10000) {
    return takeFrame(this, accept, timeoutMs, () => JSON.stringify(this.frames))
  }

  /** Resolves when no frame matching `accept` arrives within `ms`; rejects otherwise. */
  async expectNothing(ms = 500, accept = (m) => !isPing(m)) {
    await new Promise((r) => setTimeout(r, ms))
    const found = this.frames.find(accept)
    if (found) throw new Error(`unexpected frame ${JSON.stringify(found)}`)
  }

  send(obj) {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj))
  }

  async subscribe(identifier, extra = {}) {
    this.send({ command: 'subscribe', identifier, ...extra })
    return this.next((m) => m.identifier === identifier && /subscription/.test(m.type || ''))
  }

  close() {
    this.ws.close()
  }
}

export const pubsub = (stream) => JSON.stringify({ channel: '$pubsub', stream_name: stream })
export const signedPubsub = (signed) => JSON.stringify({ channel: '$pubsub', signed_stream_name: signed })

/** Rails MessageVerifier (SHA256, JSON serializer), as AnyCable signs stream names. */
export function signStream(name, secret = env.secret) {
  const data = Buffer.from(JSON.stringify(name)).toString('base64')
  return `${data}--${createHmac('sha256', secret).update(data).digest('hex')}`
}

/** An AnyCable identification token: identifiers in `ext`, HS256. */
export function token(identifiers, { secret = env.secret, expiresIn = 60 } = {}) {
  const exp = Math.floor(Date.now() / 1000) + expiresIn
  return jwt.sign({ ext: JSON.stringify(identifiers), exp }, secret, { algorithm: 'HS256' })
}

/** POST a publication (object or array) or a remote command; returns the HTTP status. */
export async function broadcast(body, { url = env.broadcastUrl, key = env.broadcastKey } = {}) {
  const headers = { 'Content-Type': 'application/json' }
  if (key) headers.Authorization = `Bearer ${key}`
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return res.status
}

export const publication = (stream, data, meta) => ({ stream, data: JSON.stringify(data), ...(meta ? { meta } : {}) })

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * The next frame of `client.frames` matching `accept`, taken out of it, now or when it comes (the
 * client calls `client.waiters = client.waiters.filter((w) => !w.tryTake())` on every new frame).
 */
export function takeFrame(client, accept, timeoutMs, describe) {
  return new Promise((resolve, reject) => {
    const waiter = {
      tryTake: () => {
        const i = client.frames.findIndex(accept)
        if (i < 0) return false
        const [frame] = client.frames.splice(i, 1)
        clearTimeout(timer)
        resolve(frame)
        return true
      },
    }
    const timer = setTimeout(() => {
      client.waiters = client.waiters.filter((w) => w !== waiter)
      reject(new Error(`no matching frame within ${timeoutMs} ms; have ${describe()}`))
    }, timeoutMs)
    if (!waiter.tryTake()) client.waiters.push(waiter)
  })
}
