/**
 * Where byte-level issuance jobs run (issuance-job.ts): on the kernel's thread as they are posted
 * (`inlinePlane`, one thread), or beside it on a worker (worker-plane.ts). The kernel
 * posts a card's job when its issuing order starts — with a worker, a first card's job as early as
 * the adoption schedule names its user (`AdoptionForecast`), so the worker works ahead while the
 * kernel runs the events between — and takes the result at the order's first OTA step
 * (create-ssd), folding it into the world in the kernel's event order (IssuanceJobs.collect). The
 * card made then waits in the world's ByteLevelCards for the steps to issue it (`issue`).
 */

import type { ByteLevelCards } from "../byte-level-cards.ts"
import { BYTES_TAG } from "../byte-level-cards.ts"
import type { CryptoCounts } from "../counting-crypto.ts"
import { HeldCard } from "../held-card.ts"
import { CrossJobReplays, refusedResult } from "./cross-job-replays.ts"
import {
  type IssuanceJob,
  type IssuanceJobRunner,
  type IssuanceResult,
  type JobHooks,
  jobPurposeOf,
} from "./issuance-job.ts"

export interface IssuancePlane {
  /** Threads the byte plane uses besides the kernel's (0 inline). */
  readonly workers: number
  /**
   * Jobs run so far on the kernel's thread and on the worker (dropped ones included), and how
   * often the kernel's thread slept waiting for the worker.
   */
  readonly ran: { readonly here: number; readonly worker: number; readonly waits: number }
  /** The worker thread's own CPU time so far, s (0 without one). */
  readonly workerCpuS: number
  /** The worker's used JS heap now, bytes, garbage included (bench figures; 0 without one). */
  workerHeapBytes(): Promise<number>
  /** Blocks until the worker is set up (tests); true when it is (or there is none). */
  waitReady(timeoutMs: number): boolean
  post(job: IssuanceJob, hooks: JobHooks): void
  /** The result of posted `job`, running it here if no thread started it, waiting if one is. */
  take(ticket: number, job: IssuanceJob): IssuanceResult
  /** Forgets a posted job whose result will not be taken (its order ended before create-ssd). */
  drop(ticket: number): void
  close(): void
}

/** Jobs run on this thread when posted, in posting order (the order a worker runs them in). */
export const inlinePlane = (runner: IssuanceJobRunner): IssuancePlane => {
  const results = new Map<number, IssuanceResult>()
  const ran = { here: 0, worker: 0, waits: 0 }
  return {
    workers: 0,
    ran,
    workerCpuS: 0,
    workerHeapBytes: () => Promise.resolve(0),
    waitReady: () => true,
    post: (job, hooks) => {
      ran.here++
      results.set(job.ticket, runner.run(job, hooks))
    },
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
 * The byte-level first cards to come, in adoption order (pilot-world.ts): the adoption schedule is
 * drawn ahead (population-run.ts), so a job's inputs are known long before its order starts.
 */
export interface AdoptionForecast {
  /**
   * The first adopter at schedule position `from` or later who is not adopted yet and would be
   * byte-level as far as is known now, with the instant its order will start; null past the end.
   */
  next(from: number): { readonly position: number; readonly user: number; readonly nowUs: number } | null
}

/**
 * First-card jobs posted ahead of their orders, at most (a worker plane only): meant to keep the
 * worker supplied while the kernel's thread is descheduled on a busy machine (a few seconds of
 * jobs; 128 and 512 were not told apart by measurement there); each waits as a few KiB of result.
 */
export const AHEAD_JOBS_DEFAULT = 512

const sameJob = (a: IssuanceJob, b: IssuanceJob): boolean =>
  a.user === b.user &&
  a.generation === b.generation &&
  a.nowUs === b.nowUs &&
  a.traced === b.traced &&
  a.envelopes === b.envelopes &&
  a.purpose === b.purpose

/**
 * The kernel's side: one pending job per user (an issuing order in flight), posted when the order
 * starts (or ahead of it, from the forecast: a job posted ahead is the order's when its inputs are
 * the ones the order has, else dropped), taken at its first OTA step (create-ssd), and folded into
 * the world then: the job's bytes into the digest at that instant, its counts into the tallies,
 * the card it made into the world's cards as pending (ByteLevelCards.adopt), for the order's steps
 * to issue or drop. What is posted ahead changes no byte: a job's result is a function of its
 * inputs (issuance-job.ts), and only the results taken are folded.
 */
export class IssuanceJobs {
  private nextTicket = 0
  private readonly pending = new Map<number, IssuanceJob>()
  /** Jobs posted ahead of their orders, by user. */
  private readonly ahead = new Map<number, IssuanceJob>()
  private forecastFrom = 0
  /** No job is posted ahead for an order that would start after this instant (the run's end), µs. */
  aheadUntilUs = Number.POSITIVE_INFINITY
  /** Jobs posted ahead: taken by their orders, and dropped (their inputs were not the order's). */
  readonly aheadCounts = { used: 0, dropped: 0 }
  /** The receivers' replay memory across jobs, checked as results fold (cross-job-replays.ts). */
  readonly replays = new CrossJobReplays()
  /**
   * Names a job's envelope draws (issuance-job.ts `jobPurposeOf`); public so a test can plant a
   * collision between jobs (it must be a function of its arguments: jobs posted ahead use it too).
   */
  purposeOf: (user: number, generation: number, nowUs: number) => string = jobPurposeOf

  constructor(
    private readonly cards: ByteLevelCards,
    private readonly plane: IssuancePlane,
    private readonly counts: CryptoCounts,
    private readonly nowUs: () => number,
    /** The first cards to come (public so a test can plant a wrong forecast: nothing may change). */
    public forecast: AdoptionForecast | null = null,
    private readonly aheadMax = AHEAD_JOBS_DEFAULT,
  ) {}

  get workers(): number {
    return this.plane.workers
  }

  /** Jobs run on the kernel's thread and on the worker (issuance jobs posted ahead and dropped included). */
  get ran(): IssuancePlane["ran"] {
    return this.plane.ran
  }

  /** The worker thread's own CPU time so far, s (0 without one). */
  get workerCpuS(): number {
    return this.plane.workerCpuS
  }

  /** The worker's used JS heap now, bytes, garbage included (0 without one). */
  workerHeapBytes(): Promise<number> {
    return this.plane.workerHeapBytes()
  }

  /** Blocks until the worker is set up (tests that must see it take jobs); true when it is. */
  waitReady(timeoutMs: number): boolean {
    return this.plane.waitReady(timeoutMs)
  }

  /** Starts the card's job now (an issuing order of a byte-level user has started). */
  post(user: number, generation: number): void {
    this.discard(user)
    const nowUs = this.nowUs()
    const job: IssuanceJob = {
      ticket: 0,
      user,
      generation,
      nowUs,
      traced: this.cards.pickTraced(user),
      envelopes: this.cards.chain.onEnvelope !== null,
      purpose: this.purposeOf(user, generation, nowUs),
    }
    const early = this.ahead.get(user)
    if (early !== undefined) {
      this.ahead.delete(user)
      if (sameJob(early, job)) {
        this.aheadCounts.used++
        this.pending.set(user, early)
        this.lookAhead()
        return
      }
      this.dropAhead(early)
    }
    const posted = { ...job, ticket: ++this.nextTicket }
    this.pending.set(user, posted)
    this.plane.post(posted, { tracer: this.cards.tracer, tamper: this.cards.chain.tamper })
    this.lookAhead()
  }

  /** The order ended before its card's first step: its job's result is not wanted. */
  discard(user: number): void {
    const job = this.pending.get(user)
    if (job === undefined) return
    this.pending.delete(user)
    this.plane.drop(job.ticket)
  }

  /**
   * Takes `user`'s card (its job posted now if its order posted none) into the world's cards, made
   * and waiting for its order's steps (ByteLevelCards.issue).
   */
  collect(user: number, generation: number): void {
    if (!this.pending.has(user)) this.post(user, generation)
    const job = this.pending.get(user)!
    this.pending.delete(user)
    this.fold(user, this.plane.take(job.ticket, job))
  }

  /**
   * Posts the jobs of the byte-level adopters to come, up to `aheadMax` waiting, with a worker
   * only (on one thread a job runs when posted: nothing to overlap). Not while cards are being
   * picked for tracing (which card is traced is decided when its order starts). A job posted
   * ahead whose order should have started by now was not wanted (the sample's cap): dropped.
   */
  private lookAhead(): void {
    if (this.forecast === null || this.plane.workers === 0) return
    const sinks = this.cards.sinks
    if (sinks.exchange !== null && this.cards.traced.size < sinks.traceCards) return
    const now = this.nowUs()
    // Posted in schedule order, so the ones overdue are first.
    for (const job of this.ahead.values()) {
      if (job.nowUs >= now) break
      this.ahead.delete(job.user)
      this.dropAhead(job)
    }
    const envelopes = this.cards.chain.onEnvelope !== null
    while (this.ahead.size < this.aheadMax) {
      const next = this.forecast.next(this.forecastFrom)
      if (next === null || next.nowUs > this.aheadUntilUs) return
      this.forecastFrom = next.position + 1
      if (this.ahead.has(next.user) || this.pending.has(next.user)) continue
      const job = {
        ticket: ++this.nextTicket,
        user: next.user,
        generation: 0,
        nowUs: next.nowUs,
        traced: false,
        envelopes,
        purpose: this.purposeOf(next.user, 0, next.nowUs),
      }
      this.ahead.set(next.user, job)
      this.plane.post(job, { tracer: null, tamper: null })
    }
  }

  private dropAhead(job: IssuanceJob): void {
    this.aheadCounts.dropped++
    this.plane.drop(job.ticket)
  }

  private fold(user: number, result: IssuanceResult): void {
    // No job folded from now on arrives before now or before the oldest pending job: jobs enter
    // `pending` at the kernel's now (re-posting deletes first), so its first entry is the oldest.
    const oldest = this.pending.values().next().value
    const horizonUs = Math.min(this.nowUs(), oldest?.nowUs ?? Number.POSITIVE_INFINITY)
    const refusal = this.replays.check(result.accepted, horizonUs)
    const r = refusal === null ? result : refusedResult(result, refusal, user)
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
    this.ahead.clear()
    this.plane.close()
  }
}
