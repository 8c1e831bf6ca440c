/**
 * The users' handsets as one party: each holds its secure element (a real card, model/card) and
 * runs the wallet app's Local Agent (GP SERAM) and the SIM's OTA endpoint. Both execute a list of
 * C-APDUs on the card and answer the R-APDUs; SERAM says the agent stops at the first APDU it
 * cannot transmit, and that error status words are valid answers, so every answer goes back.
 * Simulated time per APDU comes from the SE performance model (`seApduUs`), never wall time.
 */

import type { HandlerId, Link, Port } from "../../../sim/kernel/port.ts"
import { hex, toHex } from "../../bytes/hex.ts"
import type { Card } from "../../card/card.ts"
import type { ChannelDown, ChannelUp, OtaDown, OtaUp, SeType } from "../ota/seram.ts"

export interface HandsetOptions {
  /** SE processing time per APDU (assumption: CALIBRATION.md §2.3, >80 % of a contactless
   *  transaction's 300-500 ms is SE computation over ~8 APDUs, so ~40 ms each). */
  readonly seApduUs: number
}

type Reply = { readonly send: () => void }

export class Handsets {
  private readonly cards = new Map<string, Card>()
  private readonly seTypes = new Map<string, SeType>()
  private readonly done: HandlerId<Reply>
  channelUp: Link<ChannelUp> | null = null
  readonly otaUp = new Map<string, Link<OtaUp>>()

  constructor(
    private readonly port: Port,
    private readonly options: HandsetOptions,
  ) {
    this.done = port.register<Reply>("handset.answer", (_a0, reply) => reply.send())
  }

  insert(seId: string, card: Card, seType: SeType): void {
    this.cards.set(seId, card)
    this.seTypes.set(seId, seType)
  }

  /** Takes the SE out (a lost phone's SIM keeps answering OTA until the network drops it). */
  remove(seId: string): void {
    this.cards.delete(seId)
  }

  private execute(seId: string, capdus: ReadonlyArray<Uint8Array>): Uint8Array[] | null {
    const card = this.cards.get(seId)
    if (card === undefined) return null
    return capdus.map((c) => card.transmit(c))
  }

  onOta(telcoId: string, m: OtaDown): void {
    const rapdus = this.execute(m.seId, m.capdus)
    const link = this.otaUp.get(telcoId)
    if (rapdus === null || link === undefined) return
    const send = () => void this.port.send(link, { seId: m.seId, exchangeId: m.exchangeId, rapdus })
    this.port.after(rapdus.length * this.options.seApduUs, this.done, 0, { send })
  }

  onChannel(m: ChannelDown): void {
    const link = this.channelUp
    if (link === null) return
    if (m.kind === "trigger") {
      const up: ChannelUp = {
        kind: "handshake",
        sessionId: m.sessionId,
        secureElements: this.cards.has(m.seId) ? [{ seType: this.seTypes.get(m.seId)!, seId: m.seId }] : [],
        supportedVersions: ["2.0.0"],
      }
      this.port.send(link, up)
      return
    }
    const report = this.runOrder(m)
    if (report === null) return
    const send = () => void this.port.send(link, report.up)
    this.port.after(report.apdus * this.options.seApduUs, this.done, 0, { send })
  }

  private runOrder(m: Extract<ChannelDown, { kind: "order" }>): { up: ChannelUp; apdus: number } | null {
    const seId = m.chosenSecureElement?.seId
    const responses: Array<{ ramResponseType: "seRamResponse"; listOfRAPDU: string[] }> = []
    let executed = 0
    let apdus = 0
    for (const c of m.ramCommands) {
      if (c.ramCommandType === "ramStopCommand") return null
      if (c.ramCommandType !== "seRamCommand") continue
      const r =
        seId === undefined
          ? null
          : this.execute(
              seId,
              c.listOfCAPDU.map((x) => hex(x)),
            )
      if (r === null) return { up: this.status(m.sessionId, "UNAVAILABLE_SE", executed, responses), apdus }
      responses.push({ ramResponseType: "seRamResponse", listOfRAPDU: r.map((x) => toHex(x).toUpperCase()) })
      executed++
      apdus += r.length
    }
    return {
      up: this.status(m.sessionId, executed > 0 ? "PROCESSED" : "POLLING", executed, responses),
      apdus,
    }
  }

  private status(
    sessionId: string,
    status: "PROCESSED" | "POLLING" | "UNAVAILABLE_SE",
    executed: number,
    ramResponses: ReadonlyArray<{ ramResponseType: "seRamResponse"; listOfRAPDU: string[] }>,
  ): ChannelUp {
    return {
      kind: "report",
      sessionId,
      localAgentStatus: { localAgentStatusEnum: status, executedSeRamCommands: executed },
      ramResponses,
    }
  }
}
