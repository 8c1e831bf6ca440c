/**
 * The ws connection as a Lit reactive controller (STYLE.md "Lit": side effects in controllers): it
 * connects when the host connects, decodes every server message with the protocol's Schema, hands
 * it to the host, and sends commands. It never reconnects in a loop faster than once a second.
 */

import { Result, Schema } from "effect"
import type { ReactiveController, ReactiveControllerHost } from "lit"
import { PROTOCOL_VERSION, type Request, ServerMessage } from "../../sim/server/protocol.ts"

const decode = Schema.decodeUnknownResult(ServerMessage)

export interface ConnectionHost extends ReactiveControllerHost {
  onServerMessage(message: ServerMessage): void
  onConnectionChange(state: "connecting" | "live" | "closed", reason?: string): void
}

export const defaultWsUrl = (): string | null => {
  const param = new URLSearchParams(location.search).get("ws")
  if (param !== null) return param
  if (location.protocol !== "http:" && location.protocol !== "https:") return null
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`
}

export class LiveConnection implements ReactiveController {
  private ws: WebSocket | null = null
  private nextId = 1
  private stopped = false

  constructor(
    private readonly host: ConnectionHost,
    private readonly url: string | null,
  ) {
    host.addController(this)
  }

  hostConnected(): void {
    this.stopped = false
    if (this.url !== null) this.open(this.url)
  }

  hostDisconnected(): void {
    this.stop()
  }

  /** Stops for good (the user chose to replay a file instead). */
  stop(): void {
    this.stopped = true
    this.ws?.close()
    this.ws = null
  }

  send(command: Request): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return
    this.ws.send(JSON.stringify({ ...command, id: this.nextId++ }))
  }

  private open(url: string): void {
    this.host.onConnectionChange("connecting")
    const ws = new WebSocket(url)
    this.ws = ws
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION }))
      this.host.onConnectionChange("live")
    }
    ws.onmessage = (event) => {
      let value: unknown
      try {
        value = JSON.parse(String(event.data))
      } catch {
        return
      }
      const decoded = decode(value)
      if (Result.isSuccess(decoded)) this.host.onServerMessage(decoded.success)
    }
    ws.onclose = (event) => {
      if (this.ws !== ws) return
      this.ws = null
      this.host.onConnectionChange("closed", event.reason || `code ${event.code}`)
      if (!this.stopped) setTimeout(() => !this.stopped && this.open(url), 1000)
    }
  }
}
