/**
 * The TSM's view of each SE's registry: which SSDs and application instances it believes are on
 * the card, and whether each is locked. Every change emits `tsm.registry` with the SE's whole view
 * (sorted "AID:state" strings), which the audit compares with what the card itself reports.
 */
import type { Port } from "../../../sim/kernel/port.ts"
import { toHex } from "../../bytes/hex.ts"
import { PPSE_NAME } from "../../card/applets/pboc/pboc-constants.ts"
import type { StepName } from "./order-machine.ts"
import type { PublishedApp } from "./order-request.ts"

const PPSE_AID = toHex(PPSE_NAME)

interface Entry {
  readonly state: "active" | "locked"
  /** The SSD the instance is associated with; null for an SSD itself. */
  readonly ssd: string | null
}

export class TsmView {
  private readonly entries = new Map<string, Map<string, Entry>>()

  constructor(
    private readonly port: Port,
    private readonly tsmId: string,
  ) {}

  of(seId: string): ReadonlyArray<string> {
    return [...(this.entries.get(seId) ?? new Map<string, Entry>()).entries()]
      .map(([aid, e]) => `${aid}:${e.state}`)
      .sort()
  }

  private change(seId: string, f: (m: Map<string, Entry>) => void): void {
    let m = this.entries.get(seId)
    if (m === undefined) {
      m = new Map()
      this.entries.set(seId, m)
    }
    f(m)
    this.port.emit("tsm.registry", { tsm: this.tsmId, seId, entries: this.of(seId) })
  }

  /** DELETE with related objects removes the SSD and its instances (GP 2.3 §11.2.2.1). */
  private dropSsd(m: Map<string, Entry>, ssdAid: string): void {
    m.delete(ssdAid)
    for (const [aid, e] of [...m.entries()]) if (e.ssd === ssdAid) m.delete(aid)
  }

  ssdCreated(seId: string, ssdAid: string): void {
    const ssd = ssdAid.toUpperCase()
    this.change(seId, (m) => {
      this.dropSsd(m, ssd)
      m.set(ssd, { state: "active", ssd: null })
    })
  }

  ssdDeleted(seId: string, ssdAid: string): void {
    this.change(seId, (m) => this.dropSsd(m, ssdAid.toUpperCase()))
  }

  afterScript(seId: string, app: PublishedApp, step: StepName): void {
    const aid = app.appAid.toUpperCase()
    const ssd = app.ssdAid.toUpperCase()
    if (step === "personalize")
      this.change(seId, (m) => {
        m.set(aid, { state: "active", ssd })
        m.set(PPSE_AID, { state: "active", ssd })
      })
    if (step === "ota-lock") this.change(seId, (m) => m.set(aid, { state: "locked", ssd }))
    if (step === "delete-app")
      this.change(seId, (m) => {
        m.delete(aid)
        m.delete(PPSE_AID)
      })
  }
}
