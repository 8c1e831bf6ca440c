/**
 * The byte-level users (DESIGN.md §4 "Fidelity and scale"): a deterministic sample of adopters
 * whose cards are real. Reused, not re-implemented: the card story (model/host/card-story) makes
 * and personalizes each card — ISD secure channel, SSD creation with Authorized Management,
 * PUT KEY, package load, SSD secure channel, PPSE + PBOC install, STORE DATA with DGI 8000
 * encrypted — and the qPBOC terminal kernel (model/host/terminal) with the issuer code
 * (model/host/issuer) runs each card-present transaction: offline e-cash purchases and transit
 * taps, online purchases with ARQC/ARPC, and 圈存 loads by issuer script. Remote kinds
 * (transfers, bills, e-commerce, enquiries) touch no card in the real system either, so they stay
 * cost-modelled.
 *
 * Issue 12 item 3 (outcomes that count): each card is issued on the user's own SE profile
 * (NFC-SIM, NFC-SD or eSE from the population) with the home bank's own IMKs and a PAN of its BIN;
 * the order and the result travel the signed-envelope chain bank → TSM → MTPS → SE issuer and
 * back (byte-level/envelope-chain.ts); the card work takes simulated time by the per-APDU model
 * of byte-level/card-time.ts; online payments are verified by the issuer's host under the bank's
 * keys and offline TCs at presentment (byte-level/card-payments.ts). Every APDU and envelope byte
 * is folded into the event digest. A failed verification fails the flow (`CardWork.ok` false,
 * with its reason); an outcome that cannot happen with correct keys is an invariant violation.
 */

import { CARD_PROFILES } from "../../card/profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { type CardStory, runCardStory } from "../../host/card-story/card-story.ts"
import { type ExchangeObserver, STORY_EPOCH_US } from "../../host/card-story/recording-card.ts"
import type { StoryContext } from "../../host/card-story/story-context.ts"
import { PILOT_START_S } from "../../host/pki/pilot-pki.ts"
import { TYPE_ECASH_LOAD, TYPE_PURCHASE } from "../../host/terminal/terminal-data.ts"
import type { OtaTraceDelivery } from "../../ota/ota-pcap.ts"
import type { OtaBearerName } from "../../parties/ota/ota-bearer.ts"
import type { PopulationParams, TransactionKind } from "../../population/population-params.ts"
import { emptyDraws } from "../../population/user.ts"
import {
  emptyIssuerCounts,
  type IssuerCounts,
  type PaymentResult,
  payOffline,
  payOnline,
} from "./byte-level/card-payments.ts"
import { mix3, SE_TIMING } from "./byte-level/card-time.ts"
import { EnvelopeChain, LOCAL_BANK_INSTITUTIONS } from "./byte-level/envelope-chain.ts"
import { BankIssuerKeys, panOf } from "./byte-level/issuer-keys.ts"
import {
  ISSUANCE_OTA_STEPS,
  type IssuanceOta,
  type IssuanceOtaStep,
  issuanceUs,
  OtaScripts,
  planCardOta,
} from "./byte-level/ota-issuance.ts"
import { seIdOf, type UserRoute, userRouteOf } from "./byte-level/user-route.ts"
import { type HeldCard, heldCardOf, materialize, putAway } from "./held-card.ts"
import { rotateHeldCard } from "./key-rotation.ts"

/** e-cash rules of the story's account (story-context.ts): the single limit and the balance cap. */
const ECASH_SINGLE_LIMIT_FEN = 20_000
const ECASH_BALANCE_LIMIT_FEN = 100_000
const TOP_UP_FEN = 20_000
const TWO_32 = 4294967296

export interface ByteLevelTally {
  issued: number
  transactions: number
  /** Cards whose SSD keys and IMKs a key rotation replaced. */
  rotated: number
  /** APDUs exchanged by issuances and transactions (key rotations' are not counted). */
  apdus: number
  /** Byte-level issuances and payments that failed, by reason (they count as failed flows). */
  failed: Record<string, number>
  /** Card sessions of cards personalized with a wrong issuer key (the planted defect), and such cards issued. */
  wrongKeyTransactions: number
  wrongKeyCards: number
  /** Simulated card time of the issued cards' OTA steps at nominal bearer speed, µs, and its bearer part. */
  issuanceCardUs: number
  issuanceBearerUs: number
  /** What the issuances sent over the air (ota-issuance.ts): packets, their bytes, bytes on the bearer. */
  otaPackets: number
  otaBytes: number
  otaBearerBytes: number
  otaByBearer: Record<OtaBearerName, number>
  tapCardUs: number
  violations: string[]
}

/**
 * What a byte-level card operation did, for the flow that asked (issue 12 item 3: byte-level
 * outcomes feed the KPIs): `ok` false makes the flow fail (an issuance step fails, a payment is
 * declined) with `reason`; `cardUs` is the simulated time the card work took (card-time.ts).
 */
export interface CardWork {
  readonly ok: boolean
  readonly cardUs: number
  readonly reason: string
  /** An issuance's OTA delivery: each order step's bearer and SE time (ota-issuance.ts). */
  readonly ota?: IssuanceOta
}

/** A card made for its order's create-ssd, issued at personalize (`prepare`, or a byte-plane job). */
export interface PendingIssuance {
  readonly generation: number
  readonly held: HeldCard | null
  readonly failAt: IssuanceOtaStep | null
  readonly work: CardWork
}

/**
 * Digest tags of the bytes folded in (sim/recorder/digest.ts `recordBytes`): an issuance job's SM3
 * over its own bytes (byte-level/issuance-plane.ts) has a tag of its own, distinct from the OTA
 * packets' that the job's bytes include.
 */
export const BYTES_TAG = { command: 1, response: 2, envelope: 3, ota: 4, issuanceJob: 5 } as const

/** A 32-bit hash of (seed, user) scaled to [0, 1): the byte-level pick, no stream, no order effects. */
const uniform = (seed: number, user: number, salt: number): number => mix3(seed, user, salt) / TWO_32

/** Whether `user` is byte-level at `fraction` (0 none, 1 every user), by a hash of (seed, index). */
export const isByteLevelUser = (seed: number, user: number, fraction: number): boolean =>
  fraction > 0 && uniform(seed, user, 0xb17e) < fraction

/**
 * Lets the live viewer trace chosen issuances: `wants` picks users whose story keeps its exchanges
 * and plaintext commands, `story` receives it. Recording changes no byte and no draw.
 */
export interface StoryTracer {
  wants(user: number): boolean
  story(user: number, story: CardStory): void
}

/** Where the byte-level bytes go besides the cards: the digest and, in a CLI run, the evidence files. */
export interface ByteSinks {
  /** The run's event digest (sim/recorder/digest.ts). */
  readonly digest: { recordBytes(timeUs: number, tag: number, bytes: Uint8Array): void } | null
  /** The APDUs of traced cards (`--trace-cards N`), civil time in µs. */
  exchange: ((user: number, atUs: number, command: Uint8Array, response: Uint8Array) => void) | null
  /** The OTA deliveries of traced cards' issuances (both steps, in order), for their OTA pcaps. */
  otaDelivery: ((user: number, delivery: OtaTraceDelivery) => void) | null
  /** How many byte-level cards, first issued first, have their APDUs traced. */
  traceCards: number
}

export interface ByteLevelSetup {
  readonly keySeed: string
  readonly population: PopulationParams | null
  /** Civil seconds of the world's simulated time 0. */
  readonly startS: number
  /** The world's simulated time, µs. */
  readonly now: () => number
  /** A planted defect: this share of byte-level cards is personalized with keys of no bank. */
  readonly wrongIssuerKeyFraction: number
  readonly digest: ByteSinks["digest"]
}

const DEFAULT_SETUP: ByteLevelSetup = {
  keySeed: "",
  population: null,
  startS: PILOT_START_S,
  now: () => 0,
  wrongIssuerKeyFraction: 0,
  digest: null,
}

const DONE: CardWork = { ok: true, cardUs: 0, reason: "" }
const SSD_MADE: CardWork = DONE

const dateOf = (iso: string): string => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10)

export class ByteLevelCards {
  private readonly cards = new Map<number, HeldCard>()
  /** Cards made at their order's create-ssd, awaiting its personalize (one per order in flight). */
  private readonly pending = new Map<number, PendingIssuance>()
  private readonly setup: ByteLevelSetup
  readonly chain: EnvelopeChain
  readonly issuerKeys: BankIssuerKeys
  readonly issuers: IssuerCounts = emptyIssuerCounts()
  readonly tally: ByteLevelTally = {
    issued: 0,
    transactions: 0,
    rotated: 0,
    apdus: 0,
    failed: {},
    wrongKeyTransactions: 0,
    wrongKeyCards: 0,
    issuanceCardUs: 0,
    issuanceBearerUs: 0,
    otaPackets: 0,
    otaBytes: 0,
    otaBearerBytes: 0,
    otaByBearer: { "sms-pp": 0, bip: 0, "http-admin": 0 },
    tapCardUs: 0,
    violations: [],
  }
  /** The live viewer's tracer; null in a headless run. */
  tracer: StoryTracer | null = null
  readonly sinks: ByteSinks
  /** Users whose APDUs go to `sinks.exchange` (the first `sinks.traceCards` issued). */
  readonly traced = new Set<number>()
  private readonly draws = emptyDraws()

  constructor(
    private readonly crypto: Crypto,
    private readonly seed: number,
    setup: Partial<ByteLevelSetup> = {},
  ) {
    this.setup = { ...DEFAULT_SETUP, keySeed: `seed-${seed}`, ...setup }
    this.chain = new EnvelopeChain(crypto, this.setup.keySeed, this.setup.startS)
    this.issuerKeys = new BankIssuerKeys(crypto, this.setup.keySeed)
    this.sinks = { digest: this.setup.digest, exchange: null, otaDelivery: null, traceCards: 0 }
    this.chain.onEnvelope = (bytes) =>
      this.sinks.digest?.recordBytes(this.setup.now(), BYTES_TAG.envelope, bytes)
  }

  get held(): number {
    return this.cards.size
  }

  violation(text: string): void {
    if (this.tally.violations.length < 100) this.tally.violations.push(text)
    else this.tally.violations[99] = `${text} (and more)`
  }

  private failed(reason: string, cardUs: number): CardWork {
    this.tally.failed[reason] = (this.tally.failed[reason] ?? 0) + 1
    return { ok: false, cardUs, reason }
  }

  /** Whether this user's card is personalized with a wrong issuer key (the planted defect). */
  hasWrongIssuerKey(user: number): boolean {
    const f = this.setup.wrongIssuerKeyFraction
    return f > 0 && uniform(this.seed, user, 0x0bad) < f
  }

  private routeOf(user: number): UserRoute {
    return userRouteOf(this.setup.population, this.seed, user, this.draws)
  }

  /** The observer of one card session: digest every byte, trace it when the card is traced. */
  private observer(user: number, civilUs: number, clock: () => number): ExchangeObserver {
    const digest = this.sinks.digest
    const trace = this.traced.has(user) ? this.sinks.exchange : null
    const now = this.setup.now()
    return (command, response) => {
      this.tally.apdus++
      digest?.recordBytes(now, BYTES_TAG.command, command)
      digest?.recordBytes(now, BYTES_TAG.response, response)
      trace?.(user, civilUs + clock(), command.slice(), response.slice())
    }
  }

  /**
   * A real card for `user` (its `generation`-th, for 补卡), in the order's OTA steps: at
   * `create-ssd` the card is made through the envelope chain and its scripts planned over the air
   * (issuance/pilot-se-issuers.ts charges each step its part); at `personalize` it is issued (held,
   * counted). A failure shows at the step whose script failed. Asked for `personalize` with nothing
   * pending (benchmarks, tests), it does both at once.
   */
  issue(user: number, generation: number, step: IssuanceOtaStep = "personalize"): CardWork {
    let p = this.pending.get(user)
    if (p === undefined || p.generation !== generation) {
      this.pickTraced(user)
      p = this.prepare(user, generation)
      this.pending.set(user, p)
    }
    if (p.failAt !== null && (p.failAt === step || step === "personalize")) {
      this.pending.delete(user)
      return this.failed(p.work.reason, p.work.cardUs)
    }
    // A card whose SSD script fails made its SSD: create-ssd succeeds at the modelled time (no plan).
    if (step === "create-ssd") return p.failAt === null ? p.work : SSD_MADE
    this.pending.delete(user)
    this.cards.set(user, p.held!)
    this.tally.issued++
    this.tally.issuanceCardUs += p.work.cardUs
    if (p.work.ota !== undefined)
      for (const s of ISSUANCE_OTA_STEPS) this.tally.issuanceBearerUs += p.work.ota.steps[s].bearerUs
    if (this.hasWrongIssuerKey(user)) this.tally.wrongKeyCards++
    return p.work
  }

  /**
   * Makes the card and plans its OTA delivery; nothing is held or counted as issued yet (`issue`
   * does that at the order's steps). A byte-plane job runs this on its own runner (issuance-job.ts).
   */
  prepare(user: number, generation: number): PendingIssuance {
    const who = this.routeOf(user)
    const civilUs = this.setup.startS * 1_000_000 + this.setup.now()
    const profile = CARD_PROFILES[who.seType]
    const scripts = new OtaScripts(SE_TIMING[who.seType])
    const observe = this.observer(user, civilUs, () => scripts.seUs)
    const storySeed = (this.seed * 0x9e37 + user * 64 + generation) >>> 0
    const traced = this.tracer?.wants(user) === true
    const imks = this.hasWrongIssuerKey(user)
      ? this.issuerKeys.wrongImks(user)
      : this.issuerKeys.imks(who.bankId, 1)
    let story: CardStory | null = null
    let lastSw = 0
    const refused = this.chain.issue(
      who.route,
      `o${user}.${generation}`,
      seIdOf(user, generation),
      civilUs,
      () => {
        story = runCardStory({
          seed: storySeed,
          crypto: this.crypto,
          profile,
          record: traced,
          recordPlain: traced,
          until: "personalize",
          issuer: { imks, pan: panOf(who.bin, user) },
          onStep: scripts.onStep,
          observe: (c, r, writes) => {
            observe(c, r, writes)
            scripts.exchange(c, r, writes)
            lastSw = (r[r.length - 2]! << 8) | r[r.length - 1]!
          },
        })
        // From the observer, not the story's steps: those list status words only when recording.
        return { ok: story.ok, apdus: scripts.exchanges, lastStatusWord: lastSw }
      },
    )
    const done = story as CardStory | null
    if (traced && done !== null) this.tracer!.story(user, done)
    if (refused !== null || done === null || !done.ok) {
      const failed = done?.steps.find((s) => !s.ok)
      const reason = refused ?? `personalization failed at ${failed?.step.name}`
      // With correct keys and an untampered chain neither can happen: a violation, and a failed flow.
      this.violation(
        `user ${user}: ${reason}${failed === undefined ? "" : `: ${failed.step.name} ${failed.detail}`}`,
      )
      const failAt: IssuanceOtaStep = failed?.step.actor === "SSD" ? "personalize" : "create-ssd"
      return { generation, held: null, failAt, work: { ok: false, cardUs: scripts.seUs, reason } }
    }
    const now = this.setup.now()
    const digest = this.sinks.digest
    const ota = planCardOta(this.crypto, {
      keySeed: this.setup.keySeed,
      draw: [this.seed, user, generation],
      who,
      scripts,
      civilUs: this.setup.startS * 1_000_000 + now,
      packet: (bytes) => digest?.recordBytes(now, BYTES_TAG.ota, bytes),
      trace: this.traced.has(user) ? this.sinks.otaDelivery : null,
      tally: this.tally,
    })
    if (!ota.ok) {
      this.violation(`user ${user}: OTA plan refused: ${ota.error}`)
      const work = { ok: false, cardUs: 0, reason: "OTA plan refused" }
      return { generation, held: null, failAt: "create-ssd", work }
    }
    const work = { ok: true, cardUs: issuanceUs(ota.value), reason: "", ota: ota.value }
    return { generation, held: heldCardOf(done.context, storySeed), failAt: null, work }
  }

  /** Rotates the keys of every card held now (key-rotation.ts) to its bank's next IMK generation. */
  rotateAll(): void {
    const users = [...this.cards.keys()].sort((a, b) => a - b)
    for (const user of users) {
      const held = this.cards.get(user)!
      const bank = this.issuerKeys.bankOfPan(held.data.account.pan) ?? "GYB"
      const r = rotateHeldCard(this.crypto, held, (dki) =>
        this.hasWrongIssuerKey(user)
          ? this.issuerKeys.wrongImks(user + dki * TWO_32)
          : this.issuerKeys.imks(bank, dki),
      )
      if (r.ok) this.tally.rotated++
      else this.violation(`user ${user}: key rotation failed: ${r.detail}`)
    }
  }

  /** Whether `user`'s card is traced, picking it while fewer than `sinks.traceCards` are. */
  pickTraced(user: number): boolean {
    if (this.traced.size < this.sinks.traceCards && this.sinks.exchange !== null) this.traced.add(user)
    return this.traced.has(user)
  }

  /** Keeps a card `prepare` made (a byte-plane job's result) for its order's steps (`issue`). */
  adopt(user: number, p: PendingIssuance): void {
    this.pending.set(user, p)
  }

  /** Whether `user`'s `generation`-th card is made and waits for its order's steps. */
  hasPending(user: number, generation: number): boolean {
    return this.pending.get(user)?.generation === generation
  }

  /** The order ended between its steps: its card is not issued (nor held). */
  dropPending(user: number): void {
    this.pending.delete(user)
  }

  /** Drops every held card (bench:full-fidelity measures the heap they kept). */
  dropAll(): void {
    this.cards.clear()
  }

  /** Drops the card (lost with the phone, or closed). */
  forget(user: number): void {
    this.cards.delete(user)
    this.pending.delete(user)
  }

  /**
   * Runs a card-present transaction on the user's real card; other kinds are not card-present and
   * are done at once. Not ok when the issuer declines it (a cryptogram that does not verify) or
   * the card's outcome is not the one the transaction must have.
   */
  transact(user: number, kind: TransactionKind, amountFen: number, isoDate: string): CardWork {
    const held = this.cards.get(user)
    if (held === undefined) return DONE
    if (kind !== "purchase-offline" && kind !== "transit" && kind !== "purchase-online" && kind !== "load")
      return DONE
    let clock = 0
    const ctx = materialize(
      held,
      this.crypto,
      this.observer(user, this.setup.startS * 1_000_000 + this.setup.now(), () => clock),
    )
    const result = this.pay(user, held, ctx, kind, amountFen, isoDate)
    clock = ctx.card.nowUs() - STORY_EPOCH_US
    putAway(held, ctx)
    this.tally.transactions++
    if (this.hasWrongIssuerKey(user)) this.tally.wrongKeyTransactions++
    this.tally.tapCardUs += clock
    if (result.ok) return { ok: true, cardUs: clock, reason: "" }
    if (!result.byIssuer || !this.hasWrongIssuerKey(user))
      this.violation(`user ${user}: ${kind}: ${result.reason}`)
    return this.failed(result.reason, clock)
  }

  private pay(
    user: number,
    held: HeldCard,
    ctx: StoryContext,
    kind: TransactionKind,
    amountFen: number,
    isoDate: string,
  ): PaymentResult {
    const date = dateOf(isoDate)
    if (kind === "purchase-online")
      return payOnline(
        this.crypto,
        ctx,
        this.issuerKeys,
        this.issuers,
        onlineTxn(ctx, date, Math.max(1, amountFen)),
        null,
      )
    if (kind === "load")
      return this.load(held, ctx, Math.min(amountFen, ECASH_BALANCE_LIMIT_FEN - held.balanceFen), date)
    const amount = Math.max(1, Math.min(amountFen, ECASH_SINGLE_LIMIT_FEN))
    if (held.balanceFen < amount) {
      const topUp = this.load(held, ctx, TOP_UP_FEN, date)
      if (!topUp.ok) return topUp
    }
    const txn = {
      dateYymmdd: date,
      unpredictableNumber: ctx.unpredictableNumber(4),
      amountFen: amount,
      type: TYPE_PURCHASE,
      path: "qpboc",
      ecashSupported: true,
      onlineRequired: false,
    } as const
    const o = payOffline(this.crypto, ctx, this.issuerKeys, this.issuers, txn, `t${user}.${held.entropyAt}`)
    if (!o.ok) return o
    const expected = held.balanceFen - amount
    if (o.balanceAfterFen !== expected)
      return {
        ok: false,
        reason: `offline purchase left ${o.balanceAfterFen} fen, not ${expected}`,
        byIssuer: false,
      }
    held.balanceFen = expected
    return o
  }

  private load(held: HeldCard, ctx: StoryContext, loadFen: number, date: string): PaymentResult {
    if (loadFen <= 0) return { ok: true, balanceAfterFen: held.balanceFen }
    const txn = { ...onlineTxn(ctx, date, loadFen), type: TYPE_ECASH_LOAD, onlineRequired: true }
    const r = payOnline(this.crypto, ctx, this.issuerKeys, this.issuers, txn, loadFen)
    if (r.ok) held.balanceFen += loadFen
    return r
  }
}

const onlineTxn = (ctx: StoryContext, dateYymmdd: string, amountFen: number) =>
  ({
    dateYymmdd,
    unpredictableNumber: ctx.unpredictableNumber(4),
    amountFen,
    type: TYPE_PURCHASE,
    path: "pboc",
    ecashSupported: false,
    onlineRequired: false,
  }) as const

export { LOCAL_BANK_INSTITUTIONS }
