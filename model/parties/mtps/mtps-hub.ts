/**
 * The PBOC's MTPS hub (DESIGN.md §1): the thin shell around `decideMtps` (mtps-decide.ts). It
 * verifies every envelope it receives (its Institution's verifier), applies the decision, and
 * re-seals each forwarded message under its own key, so every hop verifies the previous one.
 * Certificate and revocation look-ups are the MTPS CA's (model/host/pki), which every
 * institution's verifier asks.
 *
 * Capacity and latency: `servers` parallel processors, each envelope taking `serviceUs` (verify +
 * sign on the hub's HSM plus routing; figures in the scenario), at most `queueMax` waiting. A
 * saturated hub answers at once with a retryable refusal (ErrorReport "busy"), as an overloaded
 * HTTP service answers 503, so the sender backs off instead of waiting out a timeout. It can be
 * taken down for windows: while down it answers nothing (a down host cannot refuse).
 */
import type { HandlerId, OutageWindow } from "../../../sim/kernel/port.ts"
import { toHex } from "../../bytes/hex.ts"
import { decodeEnvelope } from "../messages/envelope.ts"
import type { Institution } from "../messages/institution.ts"
import { type AppRecord, decideMtps, type MtpsAction } from "./mtps-decide.ts"

export interface MtpsOptions {
  readonly servers: number
  readonly serviceUs: number
  readonly queueMax: number
  /** [startUs, endUs) windows when the hub is down. */
  readonly outages: ReadonlyArray<OutageWindow>
}

/** Order origins remembered (STYLE.md rule 3); the oldest order is forgotten first. */
export const ORIGINS_MAX = 1 << 20

interface Work {
  readonly bytes: Uint8Array
}

export class MtpsHub {
  readonly issuerOf = new Map<string, string>()
  readonly originOf = new Map<string, string>()
  readonly issuers = new Set<string>()
  /** `${seId}/${aid}` → SP and state. */
  readonly apps = new Map<string, AppRecord>()
  private readonly freeAtUs: number[]
  private readonly process: HandlerId<Work>
  dropped = 0
  refusedBusy = 0

  constructor(
    readonly institution: Institution,
    private readonly options: MtpsOptions,
  ) {
    if (options.servers < 1 || options.serviceUs < 1)
      throw new RangeError("MTPS needs servers and a service time")
    this.freeAtUs = new Array<number>(options.servers).fill(0)
    this.process = institution.port.register<Work>("mtps.process", (_a0, w) => this.handle(w.bytes))
  }

  /** Registers an SE with the issuer that manufactured it (the registry's SE ↔ issuer half). */
  registerSe(seId: string, issuerId: string): void {
    this.issuers.add(issuerId)
    this.issuerOf.set(seId, issuerId)
  }

  isDown(nowUs: number): boolean {
    return this.options.outages.some((w) => nowUs >= w.startUs && nowUs < w.endUs)
  }

  receive(bytes: Uint8Array): void {
    const now = this.institution.port.now()
    if (this.isDown(now)) {
      this.dropped++
      return
    }
    let server = 0
    for (let i = 1; i < this.freeAtUs.length; i++) if (this.freeAtUs[i]! < this.freeAtUs[server]!) server = i
    const startUs = Math.max(now, this.freeAtUs[server]!)
    const waiting = Math.ceil((startUs - now) / this.options.serviceUs)
    if (waiting > this.options.queueMax) return void this.refuseBusy(bytes)
    this.freeAtUs[server] = startUs + this.options.serviceUs
    this.institution.port.after(startUs + this.options.serviceUs - now, this.process, 0, { bytes })
  }

  /** The refusal reads only the header: a saturated hub cannot afford to verify first. */
  private refuseBusy(bytes: Uint8Array): void {
    const decoded = decodeEnvelope(bytes)
    if (!decoded.ok) return
    const { sender, orderId, nonce } = decoded.value.envelope
    if (!this.institution.links.has(sender)) return
    this.refusedBusy++
    this.institution.port.emit("mtps.busy", { orderId, sender })
    this.institution.send(sender, orderId, {
      _tag: "ErrorReport",
      code: "busy",
      refersToNonce: toHex(nonce),
      detail: `MTPS saturated (${this.options.queueMax} waiting)`,
    })
  }

  private handle(bytes: Uint8Array): void {
    const e = this.institution.admit(bytes)
    if (e === null) return
    const input = { sender: e.sender, orderId: e.orderId, nonceHex: toHex(e.nonce), message: e.payload }
    for (const action of decideMtps(this, input)) this.apply(e.orderId, action)
  }

  private apply(orderId: string, action: MtpsAction): void {
    switch (action.kind) {
      case "route":
        if (this.originOf.size >= ORIGINS_MAX && !this.originOf.has(action.orderId))
          this.originOf.delete(this.originOf.keys().next().value as string)
        return void this.originOf.set(action.orderId, action.origin)
      case "registry":
        return void this.apps.set(`${action.seId}/${action.aid}`, action.record)
      case "send":
        return void this.institution.send(action.to, orderId, action.message)
    }
  }
}
