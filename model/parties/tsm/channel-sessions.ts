/**
 * The TSM as GP SERAM Remote Agent (channel access interface towards the wallet app): per session
 * it pushes the trigger, answers the app's Handshake with the Handshake Response and the first
 * Order (start + SE RAM command), sends each further batch as an Order and each Report's R-APDUs
 * to the waiting caller, and closes with a notification and the Stop command. A session that
 * loses a message simply never answers; the order's step timeout covers it, and the retry opens a
 * new session (the old id is forgotten, so its late reports are ignored).
 */
import type { Link, Port } from "../../../sim/kernel/port.ts"
import { hex, toHex } from "../../bytes/hex.ts"
import type { ChannelDown, ChannelUp, RamCommand, SecureElementRef } from "../ota/seram.ts"

type Answer = (rapdus: ReadonlyArray<Uint8Array> | null) => void

interface Session {
  readonly seId: string
  /** The SE as the app offered it in the Handshake (SERAM `seType`), chosen in every Order. */
  chosen: SecureElementRef | null
  handshaken: boolean
  queued: ReadonlyArray<Uint8Array> | null
  answer: Answer | null
}

/** Open sessions at most (one per order in flight); a bound on the table (STYLE.md rule 3). */
export const SESSIONS_MAX = 100_000

export class ChannelSessions {
  private readonly sessions = new Map<string, Session>()
  down: Link<ChannelDown> | null = null

  constructor(private readonly port: Port) {}

  private send(m: ChannelDown): void {
    if (this.down === null) throw new Error("TSM channel access: no link to the wallet apps")
    this.port.send(this.down, m)
  }

  /** Sends a batch on the session, opening it first if needed; `answer` gets the R-APDUs. */
  exchange(sessionId: string, seId: string, capdus: ReadonlyArray<Uint8Array>, answer: Answer): void {
    let s = this.sessions.get(sessionId)
    if (s === undefined) {
      if (this.sessions.size >= SESSIONS_MAX) throw new Error("too many SERAM sessions")
      s = { seId, chosen: null, handshaken: false, queued: null, answer: null }
      this.sessions.set(sessionId, s)
      s.queued = capdus
      s.answer = answer
      return void this.send({ kind: "trigger", sessionId, seId })
    }
    s.answer = answer
    this.send({
      kind: "order",
      sessionId,
      ...(s.chosen === null ? {} : { chosenSecureElement: s.chosen }),
      ramCommands: [seRam(capdus)],
    })
  }

  /** Ends the session with a notification to the app and the Stop command. */
  close(sessionId: string, notification: string): void {
    const s = this.sessions.get(sessionId)
    if (s === undefined) return
    this.sessions.delete(sessionId)
    this.send({
      kind: "order",
      sessionId,
      ramCommands: [
        { ramCommandType: "notificationCommand", deviceAppNotification: notification },
        { ramCommandType: "ramStopCommand" },
      ],
    })
  }

  forget(sessionId: string): void {
    this.sessions.delete(sessionId)
  }

  receive(m: ChannelUp): void {
    const s = this.sessions.get(m.sessionId)
    if (s === undefined) return
    if (m.kind === "handshake") return void this.onHandshake(m.sessionId, s, m)
    const answer = s.answer
    s.answer = null
    if (answer === null) return
    const ok = m.localAgentStatus.localAgentStatusEnum === "PROCESSED"
    answer(ok ? (m.ramResponses[0]?.listOfRAPDU ?? []).map((r) => hex(r)) : null)
  }

  private onHandshake(sessionId: string, s: Session, m: Extract<ChannelUp, { kind: "handshake" }>): void {
    if (s.handshaken || s.queued === null) return
    s.handshaken = true
    const offered = m.secureElements.find((e) => e.seId === s.seId)
    if (offered === undefined || !m.supportedVersions.includes("2.0.0")) {
      const answer = s.answer
      this.sessions.delete(sessionId)
      return void answer?.(null)
    }
    const capdus = s.queued
    s.queued = null
    s.chosen = offered
    this.send({
      kind: "order",
      sessionId,
      handshake: { chosenVersion: "2.0.0", chosenTransportProtocol: "HTTPS" },
      chosenSecureElement: offered,
      ramCommands: [{ ramCommandType: "ramStartCommand" }, seRam(capdus)],
    })
  }
}

const seRam = (capdus: ReadonlyArray<Uint8Array>): RamCommand => ({
  ramCommandType: "seRamCommand",
  listOfCAPDU: capdus.map((c) => toHex(c)),
})
