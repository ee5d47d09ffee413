// A client of examples/custom-protocol's plain JSON pub/sub protocol, on the recording raw client:
// {"subscribe":s} / {"unsubscribe":s} / {"publish":s,"data":d} in; {"event":...} frames out.
import { RawClient } from '../lib/cable.mjs'

export const isPubSubPing = (m) => m.event === 'ping'
const notPing = (m) => !isPubSubPing(m)

export class PubSubClient {
  /** Connects with no sub-protocol (the translator owns its path) and awaits the welcome. */
  static async connect(url) {
    const c = new PubSubClient(await RawClient.connect(url, []))
    c.welcome = await c.next()
    return c
  }

  constructor(raw) {
    this.raw = raw
  }

  /** The next frame that is not a ping and matches `accept`. */
  next(accept = () => true, timeoutMs = 10000) {
    return this.raw.next((m) => notPing(m) && accept(m), timeoutMs)
  }

  /** The next message of `stream` (a broadcast or a publish). */
  nextMessage(stream, timeoutMs = 10000) {
    return this.next((m) => m.event === 'message' && m.stream === stream, timeoutMs)
  }

  /** Resolves with the next `n` messages of `stream`, in order of arrival. */
  async messages(stream, n, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs
    const got = []
    while (got.length < n) got.push((await this.nextMessage(stream, Math.max(1, deadline - Date.now()))).data)
    return got
  }

  /** Subscribes and resolves with the server's answer ({event: subscribed|rejected, stream}). */
  subscribe(stream) {
    this.send({ subscribe: stream })
    return this.next((m) => m.stream === stream && (m.event === 'subscribed' || m.event === 'rejected'))
  }

  send(frame) {
    this.raw.send(frame)
  }

  close() {
    this.raw.close()
  }
}
