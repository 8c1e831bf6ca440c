/**
 * One byte-level issuance as a job of the byte plane (DESIGN.md §4 "Scale-out": per-card work is
 * independent across cards and may run on another thread in deterministic order). The job is the
 * existing `ByteLevelCards.issue` call, unchanged inside: the envelope chain bank → TSM → MTPS →
 * SE issuer and back, and the OTA personalization on the user's own SE profile. What it did comes
 * back as plain data that survives structured cloning: the CardWork verdict and time, the held
 * card's image, the counts it added, and one SM3 over every APDU and envelope byte it exchanged
 * (in order, each with its tag and length), which the kernel folds into the event digest when the
 * flow reaches personalization. The same runner serves one thread (jobs run as they are posted)
 * and two (jobs run on a worker in the order posted), so the digest does not depend on the count.
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import { PILOT_BANKS } from "../../../parties/bank/bank-roster.ts"
import type { PopulationParams } from "../../../population/population-params.ts"
import { BYTES_TAG, ByteLevelCards, type StoryTracer } from "../byte-level-cards.ts"
import { type CryptoCounts, countingCrypto } from "../counting-crypto.ts"
import type { HeldCardWire } from "../held-card.ts"
import type { OtaRoundTrip } from "./card-time.ts"
import type { ChainCounts, EnvelopeChain, EnvelopeRecord } from "./envelope-chain.ts"

/** What a runner needs to issue cards as the world would: all plain data (a worker gets a copy). */
export interface IssuanceJobSetup {
  readonly seed: number
  readonly keySeed: string
  readonly population: PopulationParams | null
  readonly ota: OtaRoundTrip
  readonly startS: number
  readonly wrongIssuerKeyFraction: number
}

export interface IssuanceJob {
  /** Posting order, from 1: results are matched by it. */
  readonly ticket: number
  readonly user: number
  readonly generation: number
  /** The world's simulated time when the flow started, µs (the envelopes' and APDUs' instant). */
  readonly nowUs: number
  /** Whether this card's APDUs are traced (`--trace-cards`): its exchanges come back. */
  readonly traced: boolean
  /** Whether the envelopes' records come back (messages.ndjson). */
  readonly envelopes: boolean
}

/**
 * What a job borrows from the world on the kernel's thread, functions that cannot reach a worker:
 * the live viewer's story tracer and a test's planted envelope tamper (jobs on one thread only).
 */
export interface JobHooks {
  readonly tracer: StoryTracer | null
  readonly tamper: EnvelopeChain["tamper"]
}

export const NO_HOOKS: JobHooks = { tracer: null, tamper: null }

export interface TracedExchange {
  readonly atUs: number
  readonly command: Uint8Array
  readonly response: Uint8Array
}

/** The ByteLevelTally fields an issuance adds to. */
export interface IssuanceTally {
  readonly issued: number
  readonly apdus: number
  readonly wrongKeyCards: number
  readonly issuanceCardUs: number
  readonly issuanceRoundTripUs: number
  readonly failed: Readonly<Record<string, number>>
  readonly violations: ReadonlyArray<string>
}

export interface IssuanceResult {
  readonly ticket: number
  readonly ok: boolean
  readonly cardUs: number
  readonly reason: string
  /** SM3 over the job's bytes: tag (1 byte) ‖ length (4 bytes, big-endian) ‖ bytes, for each. */
  readonly bytesSm3: Uint8Array
  readonly held: HeldCardWire | null
  readonly tally: IssuanceTally
  readonly crypto: CryptoCounts
  readonly chain: ChainCounts
  readonly envelopes: ReadonlyArray<{ readonly bytes: Uint8Array; readonly record: EnvelopeRecord }>
  readonly exchanges: ReadonlyArray<TracedExchange>
}

/** The bytes of one job, in order; bounded by what one issuance exchanges (grown by doubling). */
class JobBytes {
  private buffer = new Uint8Array(16 * 1024)
  private length = 0

  reset(): void {
    this.length = 0
  }

  recordBytes(_timeUs: number, tag: number, bytes: Uint8Array): void {
    const need = this.length + 5 + bytes.length
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.buffer.length * 2))
      grown.set(this.buffer.subarray(0, this.length))
      this.buffer = grown
    }
    const b = this.buffer
    let at = this.length
    b[at++] = tag
    b[at++] = bytes.length >>> 24
    b[at++] = bytes.length >>> 16
    b[at++] = bytes.length >>> 8
    b[at++] = bytes.length
    b.set(bytes, at)
    this.length = need
  }

  sm3(crypto: Crypto): Uint8Array {
    return crypto.sm3(this.buffer.subarray(0, this.length))
  }
}

const zeroCounts = (c: CryptoCounts): void => {
  c.sm2Sign = 0
  c.sm2Verify = 0
  c.sm3 = 0
  c.hmacSm3 = 0
  c.blockEcb = 0
  c.blockCbc = 0
}

/** Runs issuance jobs on this thread's own ByteLevelCards; the cards it makes leave with the result. */
export class IssuanceJobRunner {
  private readonly cards: ByteLevelCards
  private readonly counts: CryptoCounts
  private readonly bytes = new JobBytes()
  private nowUs = 0
  private job: IssuanceJob | null = null
  private envelopes: { bytes: Uint8Array; record: EnvelopeRecord }[] = []
  private exchanges: TracedExchange[] = []

  constructor(
    /** The crypto the cards use (counted here); the job digest's SM3 is not a card operation. */
    private readonly crypto: Crypto,
    setup: IssuanceJobSetup,
  ) {
    const counted = countingCrypto(crypto)
    this.counts = counted.counts
    this.cards = new ByteLevelCards(counted.crypto, setup.seed, {
      keySeed: setup.keySeed,
      population: setup.population,
      ota: setup.ota,
      startS: setup.startS,
      wrongIssuerKeyFraction: setup.wrongIssuerKeyFraction,
      now: () => this.nowUs,
      digest: this.bytes,
    })
    this.cards.chain.onEnvelope = (bytes, record) => {
      this.bytes.recordBytes(0, BYTES_TAG.envelope, bytes)
      if (this.job?.envelopes === true) this.envelopes.push({ bytes, record })
    }
    // Per-runner caches filled ahead of the jobs (certificate chains, the banks' first IMKs), so a
    // job's operation counts do not depend on which runner met a key first.
    this.cards.chain.warm()
    for (const bank of PILOT_BANKS) this.cards.issuerKeys.imks(bank.id, 1)
    this.cards.sinks.exchange = (_user, atUs, command, response) =>
      this.exchanges.push({ atUs, command, response })
  }

  /** Runs `job` with the world's `hooks` (JobHooks) in place for it. */
  run(job: IssuanceJob, hooks: JobHooks = NO_HOOKS): IssuanceResult {
    const cards = this.cards
    this.begin(job)
    cards.tracer = hooks.tracer
    cards.chain.tamper = hooks.tamper
    // The job's envelopes are named by its ticket: any runner on any thread seals the same bytes.
    cards.chain.setJobPurpose(`job/${job.ticket}`)
    if (job.traced) cards.traced.add(job.user)
    const work = cards.issue(job.user, job.generation)
    cards.traced.delete(job.user)
    cards.tracer = null
    cards.chain.tamper = null
    cards.chain.setJobPurpose(null)
    const held = cards.take(job.user)
    const t = cards.tally
    const result: IssuanceResult = {
      ticket: job.ticket,
      ok: work.ok,
      cardUs: work.cardUs,
      reason: work.reason,
      bytesSm3: this.bytes.sm3(this.crypto),
      held: held === undefined ? null : held.toWire(),
      tally: {
        issued: t.issued,
        apdus: t.apdus,
        wrongKeyCards: t.wrongKeyCards,
        issuanceCardUs: t.issuanceCardUs,
        issuanceRoundTripUs: t.issuanceRoundTripUs,
        failed: { ...t.failed },
        violations: [...t.violations],
      },
      crypto: { ...this.counts },
      chain: { ...cards.chain.counts },
      envelopes: this.envelopes,
      exchanges: this.exchanges,
    }
    this.job = null
    return result
  }

  /** Every count starts at zero, so what the job leaves is what it added. */
  private begin(job: IssuanceJob): void {
    this.job = job
    this.nowUs = job.nowUs
    this.bytes.reset()
    this.envelopes = []
    this.exchanges = []
    zeroCounts(this.counts)
    const t = this.cards.tally
    t.issued = 0
    t.apdus = 0
    t.wrongKeyCards = 0
    t.issuanceCardUs = 0
    t.issuanceRoundTripUs = 0
    t.failed = {}
    t.violations.length = 0
    const c = this.cards.chain.counts
    c.signed = 0
    c.verified = 0
    c.rejected = 0
  }
}
