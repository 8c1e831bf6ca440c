/**
 * Where byte-level issuance jobs run (issuance-job.ts): on the kernel's thread as they are posted
 * (`inlinePlane`, one thread), or on a worker in the order posted (worker-plane.ts). Either way
 * the kernel posts a card's job when its issuing order starts and takes the result at the order's
 * first OTA step (create-ssd) — simulated time later, so with a worker the kernel runs other events
 * meanwhile — and folds it into the world in the kernel's event order (IssuanceJobs.collect). The
 * card made then waits in the world's ByteLevelCards for the steps to issue it (`issue`).
 */

import type { ByteLevelCards } from "../byte-level-cards.ts"
import { BYTES_TAG } from "../byte-level-cards.ts"
import type { CryptoCounts } from "../counting-crypto.ts"
import { HeldCard } from "../held-card.ts"
import type { IssuanceJob, IssuanceJobRunner, IssuanceResult, JobHooks } from "./issuance-job.ts"

export interface IssuancePlane {
  /** Threads the byte plane uses besides the kernel's (0 inline). */
  readonly workers: number
  post(job: IssuanceJob, hooks: JobHooks): void
  /** The result of a posted job, waiting for it if it is still running. */
  take(ticket: number): IssuanceResult
  /** Forgets a posted job whose result will not be taken (its order ended before create-ssd). */
  drop(ticket: number): void
  close(): void
}

/** Jobs run on this thread when posted, in posting order (the order a worker runs them in). */
export const inlinePlane = (runner: IssuanceJobRunner): IssuancePlane => {
  const results = new Map<number, IssuanceResult>()
  return {
    workers: 0,
    post: (job, hooks) => results.set(job.ticket, runner.run(job, hooks)),
    take: (ticket) => {
      const r = results.get(ticket)
      if (r === undefined) throw new Error(`issuance job ${ticket} was never posted`)
      results.delete(ticket)
      return r
    },
    drop: (ticket) => results.delete(ticket),
    close: () => results.clear(),
  }
}

/**
 * The kernel's side: one pending job per user (an issuing order in flight), posted when the order
 * starts, taken at its first OTA step (create-ssd), and folded into the world then: the job's bytes
 * into the digest at that instant, its counts into the tallies, the card it made into the world's
 * cards as pending (ByteLevelCards.adopt), for the order's steps to issue or drop.
 */
export class IssuanceJobs {
  private nextTicket = 0
  private readonly pending = new Map<number, number>()

  constructor(
    private readonly cards: ByteLevelCards,
    private readonly plane: IssuancePlane,
    private readonly counts: CryptoCounts,
    private readonly nowUs: () => number,
  ) {}

  get workers(): number {
    return this.plane.workers
  }

  /** Starts the card's job now (an issuing order of a byte-level user has started). */
  post(user: number, generation: number): void {
    this.discard(user)
    const ticket = ++this.nextTicket
    this.pending.set(user, ticket)
    const job: IssuanceJob = {
      ticket,
      user,
      generation,
      nowUs: this.nowUs(),
      traced: this.cards.pickTraced(user),
      envelopes: this.cards.chain.onEnvelope !== null,
    }
    this.plane.post(job, { tracer: this.cards.tracer, tamper: this.cards.chain.tamper })
  }

  /** The order ended before its card's first step: its job's result is not wanted. */
  discard(user: number): void {
    const ticket = this.pending.get(user)
    if (ticket === undefined) return
    this.pending.delete(user)
    this.plane.drop(ticket)
  }

  /**
   * Takes `user`'s card (its job posted now if its order posted none) into the world's cards, made
   * and waiting for its order's steps (ByteLevelCards.issue).
   */
  collect(user: number, generation: number): void {
    if (!this.pending.has(user)) this.post(user, generation)
    const ticket = this.pending.get(user)!
    this.pending.delete(user)
    this.fold(user, this.plane.take(ticket))
  }

  private fold(user: number, r: IssuanceResult): void {
    const cards = this.cards
    cards.sinks.digest?.recordBytes(this.nowUs(), BYTES_TAG.issuanceJob, r.bytesSm3)
    const card = r.card
    cards.adopt(user, { ...card, held: card.held === null ? null : HeldCard.fromWire(card.held) })
    const t = cards.tally
    t.apdus += r.tally.apdus
    t.otaPackets += r.tally.otaPackets
    t.otaBytes += r.tally.otaBytes
    t.otaBearerBytes += r.tally.otaBearerBytes
    for (const [bearer, n] of Object.entries(r.tally.otaByBearer))
      t.otaByBearer[bearer as keyof typeof t.otaByBearer] += n
    for (const v of r.tally.violations) cards.violation(v)
    const c = this.counts
    c.sm2Sign += r.crypto.sm2Sign
    c.sm2Verify += r.crypto.sm2Verify
    c.sm3 += r.crypto.sm3
    c.hmacSm3 += r.crypto.hmacSm3
    c.blockEcb += r.crypto.blockEcb
    c.blockCbc += r.crypto.blockCbc
    const chain = cards.chain
    chain.counts.signed += r.chain.signed
    chain.counts.verified += r.chain.verified
    chain.counts.rejected += r.chain.rejected
    for (const e of r.envelopes) chain.onEnvelope?.(e.bytes, e.record)
    const exchange = cards.sinks.exchange
    for (const x of r.exchanges) exchange?.(user, x.atUs, x.command, x.response)
    for (const d of r.otaDeliveries) cards.sinks.otaDelivery?.(user, d)
  }

  close(): void {
    this.pending.clear()
    this.plane.close()
  }
}
