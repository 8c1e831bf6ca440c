/**
 * The users of an issuance run, each a function of (seed, index) (DESIGN.md §4 "Population"):
 * which path issues their card (self-service download or the local bank through the 贵州通 TSM,
 * or a national bank through its SP-TSM and MTPS), which telco's NFC-SIM they hold, when they ask,
 * whether they later lose the phone (挂失, then 补卡 onto a new SE after the waiting period with
 * the e-cash balance moved) and whether they close the card (销户). Each next order is submitted
 * when the previous one reaches its terminal state.
 */
import { toHex } from "../../bytes/hex.ts"
import type { OrderState } from "../../parties/tsm/order-machine.ts"
import type { OrderRequest } from "../../parties/tsm/order-request.ts"
import type { PlatformTsm } from "../../parties/tsm/platform-tsm.ts"
import { BankBatches } from "./bank-batches.ts"
import type { IssuanceScenario } from "./issuance-scenario.ts"
import { CCB_DEBIT, GYB_DEBIT } from "./pilot-apps.ts"
import { SE_ISSUERS, type SeIssuerId, type World } from "./world.ts"

const US_PER_DAY = 86_400_000_000

export type IssuePath = "self-service" | "local-bank" | "non-local"

interface UserPlan {
  readonly index: number
  readonly path: IssuePath
  readonly issuer: SeIssuerId
  readonly issueAtUs: number
  readonly loseAfterUs: number | null
  readonly closeAfterUs: number | null
  /** NFC-SIM holders who do not lose the phone may swap the SIM (CALIBRATION.md §3.4). */
  readonly swapAfterUs: number | null
}

const planOf = (world: World, sc: IssuanceScenario, index: number): UserPlan => {
  const s = world.port.stream("user", index)
  const p = s.below(1000)
  const path: IssuePath =
    p < sc.selfServicePermille
      ? "self-service"
      : p < sc.selfServicePermille + sc.localBankPermille
        ? "local-bank"
        : "non-local"
  const issuer = issuerOf(sc, s.below(1000), s.below(3))
  const issueAtUs = s.below(sc.issueWindowDays * US_PER_DAY)
  const loses = s.below(1000) < sc.lossPermille
  const closes = s.below(1000) < sc.closePermille
  const swaps =
    s.below(1000) < sc.simSwapPermille && !loses && (TELCOS as ReadonlyArray<string>).includes(issuer)
  return {
    index,
    path,
    issuer,
    issueAtUs,
    loseAfterUs: loses ? US_PER_DAY + s.below(30 * US_PER_DAY) : null,
    closeAfterUs: closes ? US_PER_DAY + s.below(60 * US_PER_DAY) : null,
    swapAfterUs: swaps ? US_PER_DAY + s.below(20 * US_PER_DAY) : null,
  }
}

const TELCOS = ["cmcc", "cucc", "ctcc"] as const

/** NFC-SD and eSE by their shares, otherwise one of the three telcos' NFC-SIMs. */
const issuerOf = (sc: IssuanceScenario, permille: number, telco: number): SeIssuerId =>
  permille < sc.nfcSdPermille
    ? "nfcsd"
    : permille < sc.nfcSdPermille + sc.embeddedSePermille
      ? "ese"
      : TELCOS[telco]!

/**
 * An SE's identifier as the registries carry it: 8 bytes of hex, like a CPLC-derived SEID — "SE",
 * the issuer's index, the card's generation for the user (0 first card, 1 after 补卡, 2 after a
 * SIM swap) and the user's index.
 */
export const seIdOf = (issuer: SeIssuerId, generation: number, userIndex: number): string =>
  toHex(
    Uint8Array.of(
      0x53,
      0x45,
      Object.keys(SE_ISSUERS).indexOf(issuer),
      generation,
      userIndex >>> 24,
      (userIndex >>> 16) & 0xff,
      (userIndex >>> 8) & 0xff,
      userIndex & 0xff,
    ),
  )

/** A 16-digit PAN under the bank's BIN with the user's index; the check digit is Luhn's. */
const panOf = (bin: string, index: number): string => {
  const body = bin + String(index).padStart(15 - bin.length, "0")
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i])
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return body + String((10 - (sum % 10)) % 10)
}

interface Act {
  readonly run: () => void
}

export class UserDriver {
  readonly flows = new Map<string, number>()
  /** Cards made (issue, 补卡, SIM swap) by SE issuer: NFC-SIM telcos, NFC-SD, eSE. */
  readonly cardsBySeIssuer = new Map<SeIssuerId, number>()
  private readonly plans = new Map<number, UserPlan>()
  private readonly act
  readonly batch: BankBatches

  constructor(
    private readonly world: World,
    private readonly sc: IssuanceScenario,
  ) {
    this.act = world.port.register<Act>("user.act", (_a0, a) => a.run())
    this.batch = new BankBatches(world, "gyb", sc.batchIntervalMinutes * 60_000_000)
  }

  start(): void {
    for (let i = 0; i < this.sc.users; i++) {
      const plan = planOf(this.world, this.sc, i)
      this.plans.set(i, plan)
      const seId = seIdOf(plan.issuer, 0, i)
      this.at(plan.issueAtUs, () => {
        this.world.manufacture(seId, plan.issuer)
        const request = this.requestOf(plan, "issue", seId, "01", this.sc.initialBalanceFen, 0)
        // A local bank's customers reach the TSM through the bank's batch file, not one by one.
        if (plan.path === "local-bank") this.batch.add(request)
        else this.tsmOf(plan).submit(request)
      })
    }
  }

  private at(delayUs: number, run: () => void): void {
    this.world.port.after(delayUs, this.act, 0, { run })
  }

  private tsmOf(plan: UserPlan): PlatformTsm {
    return plan.path === "non-local" ? this.world.spTsm : this.world.gzt
  }

  private submit(
    plan: UserPlan,
    kind: OrderRequest["kind"],
    seId: string,
    psn: string,
    balanceFen: number,
    waitUs: number,
    oldSeId = "",
  ): void {
    this.tsmOf(plan).submit(this.requestOf(plan, kind, seId, psn, balanceFen, waitUs, oldSeId))
  }

  private requestOf(
    plan: UserPlan,
    kind: OrderRequest["kind"],
    seId: string,
    psn: string,
    balanceFen: number,
    waitUs: number,
    oldSeId = "",
  ): OrderRequest {
    const nonLocal = plan.path === "non-local"
    return {
      orderId: `u${plan.index}-${kind}`,
      kind,
      userIndex: plan.index,
      seId,
      seProtocol: SE_ISSUERS[plan.issuer].profile.scp.protocol,
      appId: nonLocal ? CCB_DEBIT.appId : GYB_DEBIT.appId,
      pan: panOf(nonLocal ? "621700" : "623052", plan.index),
      psn,
      balanceFen,
      waitUs,
      oldSeId,
    }
  }

  /** The operator hands over a new SIM and deactivates the old one; the card must follow. */
  private swapSim(plan: UserPlan, request: OrderRequest): void {
    const newSe = seIdOf(plan.issuer, 2, plan.index)
    this.world.manufacture(newSe, plan.issuer)
    this.world.handsets.remove(request.seId)
    this.submit(plan, "sim-swap", newSe, "03", request.balanceFen, 0, request.seId)
  }

  flowName(request: OrderRequest): string {
    if (request.kind !== "issue") return request.kind
    return `issue.${this.plans.get(request.userIndex)!.path}`
  }

  /** The continuation after each terminal order (wired to the TSMs' `onTerminal`). */
  next(request: OrderRequest, state: OrderState): void {
    const name = `${this.flowName(request)}:${state.phase}`
    this.flows.set(name, (this.flows.get(name) ?? 0) + 1)
    const plan = this.plans.get(request.userIndex)!
    if (state.phase === "done" && request.kind !== "lock" && request.kind !== "close")
      this.cardsBySeIssuer.set(plan.issuer, (this.cardsBySeIssuer.get(plan.issuer) ?? 0) + 1)
    if (state.phase !== "done" && request.kind !== "lock") return
    if (request.kind === "issue" && plan.loseAfterUs !== null)
      return void this.at(plan.loseAfterUs, () =>
        this.submit(plan, "lock", request.seId, request.psn, request.balanceFen, 0),
      )
    if (request.kind === "issue" && plan.swapAfterUs !== null)
      return void this.at(plan.swapAfterUs, () => this.swapSim(plan, request))
    if (request.kind === "lock") {
      const newSe = seIdOf(plan.issuer, 1, plan.index)
      this.world.manufacture(newSe, plan.issuer)
      const waitUs = this.sc.reissueWaitDays * US_PER_DAY
      return void this.submit(plan, "reissue", newSe, "02", request.balanceFen, waitUs)
    }
    const carded = request.kind === "issue" || request.kind === "reissue" || request.kind === "sim-swap"
    if (carded && plan.closeAfterUs !== null)
      this.at(plan.closeAfterUs, () =>
        this.submit(plan, "close", request.seId, request.psn, request.balanceFen, 0),
      )
  }
}
