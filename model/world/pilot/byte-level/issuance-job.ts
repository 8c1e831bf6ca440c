/**
 * One byte-level issuance as a job of the byte plane (DESIGN.md §4 "Scale-out": per-card work is
 * independent across cards and may run on another thread in deterministic order). The job is the
 * existing `ByteLevelCards.prepare` call, unchanged inside: the envelope chain bank → TSM → MTPS →
 * SE issuer and back, the card's personalization on the user's own SE profile, and both order
 * steps' OTA scripts planned on its bearer (ota-issuance.ts). What it did comes back as plain data
 * that survives structured cloning: the card made (verdict, each step's bearer and SE time, the
 * held card's image), the counts it added (APDUs, OTA packets and bytes, crypto, envelopes), and
 * one SM3 over every APDU, envelope and OTA packet byte (in order, each with its tag and length),
 * which the kernel folds into the event digest when the flow reaches its first OTA step
 * (create-ssd). The card is then issued — held and counted — at personalize, by the kernel
 * (`ByteLevelCards.issue`), so an order abandoned between its steps holds none. The same runner
 * serves one thread (jobs run as they are posted) and two (each job on whichever thread claims it
 * first, worker-plane.ts); a job's bytes are named by its inputs, never by where or when it ran,
 * so the digest does not depend on the thread count.
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import type { OtaTraceDelivery } from "../../../ota/ota-pcap.ts"
import { PILOT_BANKS } from "../../../parties/bank/bank-roster.ts"
import type { OtaBearerName } from "../../../parties/ota/ota-bearer.ts"
import type { PopulationParams } from "../../../population/population-params.ts"
import { BYTES_TAG, ByteLevelCards, type CardWork, type StoryTracer } from "../byte-level-cards.ts"
import { type CryptoCounts, countingCrypto } from "../counting-crypto.ts"
import type { HeldCardWire } from "../held-card.ts"
import type { AcceptedEnvelope, ChainCounts, EnvelopeChain, EnvelopeRecord } from "./envelope-chain.ts"
import type { IssuanceOtaStep } from "./ota-issuance.ts"

/** What a runner needs to issue cards as the world would: all plain data (a worker gets a copy). */
export interface IssuanceJobSetup {
  readonly seed: number
  readonly keySeed: string
  readonly population: PopulationParams | null
  readonly startS: number
  readonly wrongIssuerKeyFraction: number
}

export interface IssuanceJob {
  /** Posting order, from 1: results are matched by it (it names no byte). */
  readonly ticket: number
  readonly user: number
  readonly generation: number
  /** The world's simulated time when the flow started, µs (the envelopes' and APDUs' instant). */
  readonly nowUs: number
  /** Whether this card's APDUs and OTA packets are traced (`--trace-cards`): they come back. */
  readonly traced: boolean
  /** Whether the envelopes' records come back (messages.ndjson). */
  readonly envelopes: boolean
  /**
   * What names the job's envelope draws (nonces, signing scalars): by default its inputs,
   * `jobPurposeOf` — so any runner on any thread seals the same bytes. A test plants a collision
   * between jobs here (issuance-plane.ts `IssuanceJobs.purposeOf`).
   */
  readonly purpose: string
}

/** The default name of a job's envelope draws: its inputs (user, card generation, instant). */
export const jobPurposeOf = (user: number, generation: number, nowUs: number): string =>
  `card/${user}.${generation}@${nowUs}`

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

/**
 * The ByteLevelTally fields making a card adds to (issuing it — `issued`, card time, wrong-key
 * cards, failures — is counted by the kernel at the order's steps).
 */
export interface IssuanceTally {
  readonly apdus: number
  readonly otaPackets: number
  readonly otaBytes: number
  readonly otaBearerBytes: number
  readonly otaByBearer: Readonly<Record<OtaBearerName, number>>
  readonly violations: ReadonlyArray<string>
}

/** The card a job made (byte-level-cards.ts PendingIssuance, its held card as plain data). */
export interface PreparedCard {
  readonly generation: number
  readonly held: HeldCardWire | null
  readonly failAt: IssuanceOtaStep | null
  readonly work: CardWork
}

export interface IssuanceResult {
  readonly ticket: number
  readonly card: PreparedCard
  /** SM3 over the job's bytes: tag (1 byte) ‖ length (4 bytes, big-endian) ‖ bytes, for each. */
  readonly bytesSm3: Uint8Array
  readonly tally: IssuanceTally
  readonly crypto: CryptoCounts
  readonly chain: ChainCounts
  /** The envelopes its receivers accepted, hop order: the kernel checks them across jobs (cross-job-replays.ts). */
  readonly accepted: ReadonlyArray<AcceptedEnvelope>
  readonly envelopes: ReadonlyArray<{ readonly bytes: Uint8Array; readonly record: EnvelopeRecord }>
  readonly exchanges: ReadonlyArray<TracedExchange>
  readonly otaDeliveries: ReadonlyArray<OtaTraceDelivery>
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
  private otaDeliveries: OtaTraceDelivery[] = []

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
    this.cards.sinks.otaDelivery = (_user, delivery) => this.otaDeliveries.push(delivery)
  }

  /** Runs `job` with the world's `hooks` (JobHooks) in place for it. */
  run(job: IssuanceJob, hooks: JobHooks = NO_HOOKS): IssuanceResult {
    const cards = this.cards
    this.begin(job)
    cards.tracer = hooks.tracer
    cards.chain.tamper = hooks.tamper
    // The job's envelopes are named by its inputs, not by when or where it was posted: any runner
    // on any thread, posting it ahead of its order or when the order starts, seals the same bytes.
    cards.chain.setJobPurpose(job.purpose)
    if (job.traced) cards.traced.add(job.user)
    const p = cards.prepare(job.user, job.generation)
    cards.traced.delete(job.user)
    cards.tracer = null
    cards.chain.tamper = null
    cards.chain.setJobPurpose(null)
    const t = cards.tally
    const result: IssuanceResult = {
      ticket: job.ticket,
      card: { generation: p.generation, held: p.held?.toWire() ?? null, failAt: p.failAt, work: p.work },
      bytesSm3: this.bytes.sm3(this.crypto),
      tally: {
        apdus: t.apdus,
        otaPackets: t.otaPackets,
        otaBytes: t.otaBytes,
        otaBearerBytes: t.otaBearerBytes,
        otaByBearer: { ...t.otaByBearer },
        violations: [...t.violations],
      },
      crypto: { ...this.counts },
      chain: { ...cards.chain.counts },
      accepted: [...cards.chain.accepted],
      envelopes: this.envelopes,
      exchanges: this.exchanges,
      otaDeliveries: this.otaDeliveries,
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
    this.otaDeliveries = []
    zeroCounts(this.counts)
    const t = this.cards.tally
    t.apdus = 0
    t.otaPackets = 0
    t.otaBytes = 0
    t.otaBearerBytes = 0
    t.otaByBearer = { "sms-pp": 0, bip: 0, "http-admin": 0 }
    t.violations.length = 0
    const c = this.cards.chain.counts
    c.signed = 0
    c.verified = 0
    c.rejected = 0
  }
}
