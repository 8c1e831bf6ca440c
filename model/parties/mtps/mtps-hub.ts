/**
 * The PBOC's MTPS hub (DESIGN.md §1): it routes SP-side TSMs' requests to the SE issuer that owns
 * the SE and the answers back to the request's origin, keeps the registry (SE ↔ issuer;
 * (SE, application) ↔ SP and state), and answers certificate and revocation look-ups through the
 * key directory its CA backs. Every envelope is opened at the hub (verify, window, replay) and
 * re-sealed by the hub for the next hop, so each hop verifies the previous one.
 *
 * Capacity and latency: `servers` parallel processors, each envelope taking `serviceUs`
 * (verify + sign on the hub's HSM plus routing; see the scenario for the figures and sources),
 * at most `queueMax` waiting; beyond that a request is answered with a retryable "busy" nack.
 * The hub can be taken down for windows: while down it drops everything it receives.
 */
import type { HandlerId } from "../../../sim/kernel/kernel.ts"
import type { Envelope } from "../exchange/envelope.ts"
import type { Institution } from "../exchange/institution.ts"
import type { AppState, PartyMessage } from "../exchange/party-messages.ts"

export interface MtpsOptions {
  readonly servers: number
  readonly serviceUs: number
  readonly queueMax: number
  /** [startUs, endUs) windows when the hub is down. */
  readonly outages: ReadonlyArray<{ readonly startUs: number; readonly endUs: number }>
}

interface Work {
  readonly envelope: Envelope
}

export class MtpsHub {
  /** SE ↔ issuer. */
  readonly issuerOf = new Map<string, string>()
  /** `${seId}/${appAid}` ↔ SP and state. */
  readonly apps = new Map<string, { readonly spId: string; readonly state: AppState }>()
  private readonly origins = new Map<string, string>()
  private readonly freeAtUs: number[]
  private readonly process: HandlerId<Work>
  dropped = 0

  constructor(
    readonly institution: Institution,
    private readonly options: MtpsOptions,
  ) {
    this.freeAtUs = new Array<number>(options.servers).fill(0)
    this.process = institution.port.register<Work>("mtps.process", (_a0, w) => this.handle(w.envelope))
  }

  isDown(nowUs: number): boolean {
    return this.options.outages.some((w) => nowUs >= w.startUs && nowUs < w.endUs)
  }

  receive(e: Envelope): void {
    const now = this.institution.port.now()
    if (this.isDown(now)) {
      this.dropped++
      return
    }
    let server = 0
    for (let i = 1; i < this.freeAtUs.length; i++) if (this.freeAtUs[i]! < this.freeAtUs[server]!) server = i
    const startUs = Math.max(now, this.freeAtUs[server]!)
    const waiting = Math.ceil((startUs - now) / this.options.serviceUs)
    if (waiting > this.options.queueMax) {
      this.institution.port.emit("mtps.busy", { orderId: e.orderId })
      return
    }
    this.freeAtUs[server] = startUs + this.options.serviceUs
    this.institution.port.after(startUs + this.options.serviceUs - now, this.process, 0, { envelope: e })
  }

  private handle(raw: Envelope): void {
    const e = this.institution.admit(raw)
    if (e === null) return
    const b = e.body
    if (b.kind === "register-app") {
      this.apps.set(`${b.seId}/${b.appAid}`, { spId: e.from, state: b.state })
      return void this.institution.send(e.from, e.orderId, {
        kind: "registered",
        seId: b.seId,
        appAid: b.appAid,
        state: b.state,
      })
    }
    if (b.kind === "create-ssd" || b.kind === "delete-ssd" || b.kind === "ota-script")
      return void this.route(e, b)
    const origin = this.origins.get(e.orderId)
    if (origin !== undefined) this.institution.send(origin, e.orderId, b)
  }

  private route(e: Envelope, b: Extract<PartyMessage, { seId: string }>): void {
    if (b.kind === "create-ssd" && b.spId !== e.from)
      return void this.institution.send(e.from, e.orderId, {
        kind: "nack",
        reason: "SP is not the signer",
        retryable: false,
      })
    const issuer = this.issuerOf.get(b.seId)
    if (issuer === undefined)
      return void this.institution.send(e.from, e.orderId, {
        kind: "nack",
        reason: "SE not registered",
        retryable: false,
      })
    this.origins.set(e.orderId, e.from)
    this.institution.send(issuer, e.orderId, b)
  }
}
