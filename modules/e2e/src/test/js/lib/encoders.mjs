// The binary encoders of @anycable/msgpack-encoder 0.5.0 and @anycable/protobuf-encoder 0.6.1, which
// npm does not serve here: the same code as their index.js (anycable/anycable-client), with the
// protobuf types loaded by protobufjs from that package's message.proto (anycable_message.proto)
// instead of its pre-generated static module. Plus a raw binary client for wire-level checks.
import msgpack from '@ygoe/msgpack'
import protobuf from 'protobufjs'
import WebSocket from 'ws'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { takeFrame } from './cable.mjs'

export class MsgpackEncoder {
  encode(msg) {
    return msgpack.encode(msg)
  }

  decode(data) {
    try {
      return msgpack.decode(data)
    } catch (_e) {}
  }
}

const schema = readFileSync(fileURLToPath(new URL('./anycable_message.proto', import.meta.url)), 'utf8')
// keepCase: field names as in the .proto (stream_id, restored_ids), as the generated module has them.
const { root } = protobuf.parse(schema, { keepCase: true })
export const Message = root.lookupType('action_cable.Message')
export const Reply = root.lookupType('action_cable.Reply')
const MessageType = root.lookupEnum('action_cable.Type')
const Command = root.lookupEnum('action_cable.Command')

export class ProtobufEncoder {
  encode(msg) {
    // convert enum value names to corresponding integers
    msg.command = Command.values[msg.command]
    if (msg.data && typeof msg.data !== 'string') {
      msg.data = JSON.stringify(msg.data)
    }
    msg.type = MessageType.values[msg.type]
    if (msg.message !== undefined) {
      msg.message = msgpack.serialize(msg.message)
    }
    const err = Message.verify(msg)
    if (err) {
      throw Error(err)
    }
    return Message.encode(msg).finish()
  }

  decode(data) {
    try {
      const decoded = this.decodeReply(data)
      decoded.type = MessageType.valuesById[decoded.type]
      decoded.command = Command.valuesById[decoded.command]
      if (decoded.message && decoded.message.length > 0) {
        decoded.message = msgpack.deserialize(decoded.message)
      }
      return decoded
    } catch (_e) {}
  }

  decodeReply(data) {
    return Message.decode(data)
  }
}

/** For the extended protocol: the server answers with Reply frames. */
export class ProtobufEncoderV2 extends ProtobufEncoder {
  decodeReply(data) {
    return Reply.decode(data)
  }
}

/** The encoder for a sub-protocol, as an application would configure @anycable/core. */
export function encoderFor(protocol) {
  if (protocol.endsWith('-msgpack')) return new MsgpackEncoder()
  if (protocol === 'actioncable-v1-ext-protobuf') return new ProtobufEncoderV2()
  if (protocol.endsWith('-protobuf')) return new ProtobufEncoder()
  return undefined
}

/**
 * A raw WebSocket client for one binary sub-protocol: records every decoded frame (and whether it
 * came as a binary frame) and awaits them by predicate.
 */
export class BinaryClient {
  static async connect(url, protocol, options = {}) {
    const c = new BinaryClient(new WebSocket(url, [protocol], options), encoderFor(protocol))
    await c.opened
    return c
  }

  constructor(ws, encoder) {
    this.ws = ws
    this.encoder = encoder
    this.frames = []
    this.textFrames = 0
    this.waiters = []
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve({ code })))
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.textFrames++
      this.frames.push(encoder.decode(new Uint8Array(data)))
      this.waiters = this.waiters.filter((w) => !w.tryTake())
    })
  }

  /** The next recorded frame (not yet taken) matching `accept`, skipping pings by default. */
  next(accept = (m) => m.type !== 'ping', timeoutMs = 10000) {
    return takeFrame(this, accept, timeoutMs, () => this.frames.length)
  }


  send(command) {
    this.ws.send(this.encoder.encode(command))
  }

  close() {
    this.ws.close()
  }
}
