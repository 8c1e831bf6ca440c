/**
 * The byte-level users (DESIGN.md §4 "Fidelity and scale"): a deterministic sample of adopters
 * whose cards are real. Reused, not re-implemented: the card story (model/host/card-story) makes
 * and personalizes each card — ISD secure channel, SSD creation with Authorized Management,
 * PUT KEY, package load, SSD secure channel, PPSE + PBOC install, STORE DATA with DGI 8000
 * encrypted — and the qPBOC terminal kernel (model/host/terminal) with the issuer code
 * (model/host/issuer) runs each card-present transaction: offline e-cash purchases and transit
 * taps, online purchases with ARQC/ARPC, and 圈存 loads by issuer script. The TSM's order to MTPS
 * is signed and verified with real SM2 (model/host/pki). Remote kinds (transfers, bills,
 * e-commerce, enquiries) touch no card in the real system either, so they stay cost-modelled.
 * Every outcome is checked against what it must be; a mismatch is an invariant violation.
 */

import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID } from "../../crypto/sm2/sm2.ts"
import { type CardStory, runCardStory } from "../../host/card-story/card-story.ts"
import { answerOnlineRequest } from "../../host/issuer/online-issuer.ts"
import { hashEntropy } from "../../host/pki/entropy.ts"
import { generateKeyPair, type Sm2KeyPair, signWithEntropy } from "../../host/pki/sm2-key-pair.ts"
import { runTransaction } from "../../host/terminal/qpboc-kernel.ts"
import { TYPE_ECASH_LOAD, TYPE_PURCHASE } from "../../host/terminal/terminal-data.ts"
import type { TerminalOutcome } from "../../host/terminal/terminal-outcome.ts"
import type { TransactionKind } from "../../population/population-params.ts"
import { type HeldCard, heldCardOf, materialize, putAway } from "./held-card.ts"
import { rotateHeldCard } from "./key-rotation.ts"

/** e-cash rules of the story's account (story-context.ts): the single limit and the balance cap. */
const ECASH_SINGLE_LIMIT_FEN = 20_000
const ECASH_BALANCE_LIMIT_FEN = 100_000
const TOP_UP_FEN = 20_000

export interface ByteLevelTally {
  issued: number
  transactions: number
  /** Cards whose SSD keys and IMKs a key rotation replaced. */
  rotated: number
  /** APDUs exchanged by issuances and transactions (key rotations' are not counted). */
  apdus: number
  violations: string[]
}

/**
 * What a byte-level card operation did, for the flow that asked (issue 12 item 3: byte-level
 * outcomes feed the KPIs): `ok` false makes the flow fail (an issuance step fails, a payment is
 * declined) with `reason`; `cardUs` is the simulated time the card work takes (0 until the
 * per-APDU timing model charges it).
 */
export interface CardWork {
  readonly ok: boolean
  readonly cardUs: number
  readonly reason: string
}

const DONE: CardWork = { ok: true, cardUs: 0, reason: "" }
const failed = (reason: string): CardWork => ({ ok: false, cardUs: 0, reason })

/** A deterministic, well-mixed choice of byte-level users: no stream per user, no order effects. */
export const isByteLevelUser = (user: number, permille: number): boolean =>
  permille > 0 && (Math.imul(user ^ (user >>> 16), 0x45d9f3b) >>> 0) % 1000 < permille

const dateOf = (iso: string): string => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10)

/**
 * Lets the live viewer trace chosen issuances: `wants` picks users whose story keeps its exchanges
 * and plaintext commands, `story` receives it. Recording changes no byte and no draw.
 */
export interface StoryTracer {
  wants(user: number): boolean
  story(user: number, story: CardStory): void
}

export class ByteLevelCards {
  private readonly cards = new Map<number, HeldCard>()
  private readonly tsmKey: Sm2KeyPair
  private readonly entropy
  readonly tally: ByteLevelTally = { issued: 0, transactions: 0, rotated: 0, apdus: 0, violations: [] }
  /** The live viewer's tracer; null in a headless run. */
  tracer: StoryTracer | null = null

  constructor(
    private readonly crypto: Crypto,
    private readonly seed: number,
  ) {
    this.entropy = hashEntropy(crypto, `pilot/${seed}`)
    this.tsmKey = generateKeyPair(crypto, this.entropy, "gzt-tsm/order-signing")
  }

  get held(): number {
    return this.cards.size
  }

  private violation(text: string): void {
    if (this.tally.violations.length < 100) this.tally.violations.push(text)
    else this.tally.violations[99] = `${text} (and more)`
  }

  /** Issues a real card to `user` (its `generation`-th, for 补卡); not ok on a violation. */
  issue(user: number, generation: number): CardWork {
    const order = new TextEncoder().encode(`issue/${user}/${generation}`)
    const signature = signWithEntropy(
      this.crypto,
      this.tsmKey,
      SM2_DEFAULT_USER_ID,
      order,
      this.entropy,
      `order/${user}/${generation}`,
    )
    if (!this.crypto.sm2.verify(SM2P256V1, this.tsmKey.publicKey, SM2_DEFAULT_USER_ID, order, signature)) {
      this.violation(`user ${user}: MTPS rejected the TSM's SM2-signed order`)
      return failed("MTPS rejected the TSM's SM2-signed order")
    }
    const traced = this.tracer?.wants(user) === true
    const storySeed = (this.seed * 0x9e37 + user * 64 + generation) >>> 0
    const story = runCardStory({
      seed: storySeed,
      crypto: this.crypto,
      record: traced,
      recordPlain: traced,
      until: "personalize",
    })
    if (traced) this.tracer!.story(user, story)
    // Counted whether or not the story records its exchanges (a headless run records none).
    this.tally.apdus += story.context.card.exchangeTotal()
    if (!story.ok) {
      const step = story.steps.find((s) => !s.ok)
      this.violation(`user ${user}: issuance failed at ${step?.step.name}: ${step?.detail}`)
      return failed(`personalization failed at ${step?.step.name}`)
    }
    this.cards.set(user, heldCardOf(story.context, storySeed))
    this.tally.issued++
    return DONE
  }

  /** Rotates the keys of every card held now (key-rotation.ts), in user order; a failure is a violation. */
  rotateAll(): void {
    const users = [...this.cards.keys()].sort((a, b) => a - b)
    for (const user of users) {
      const r = rotateHeldCard(this.crypto, this.cards.get(user)!)
      if (r.ok) this.tally.rotated++
      else this.violation(`user ${user}: key rotation failed: ${r.detail}`)
    }
  }

  /** Drops the card (lost with the phone, or closed). */
  forget(user: number): void {
    this.cards.delete(user)
  }

  /**
   * Runs a card-present transaction on the user's real card; other kinds are not card-present and
   * are done at once. Not ok when the card's outcome is not the one the transaction must have.
   */
  transact(user: number, kind: TransactionKind, amountFen: number, isoDate: string): CardWork {
    const held = this.cards.get(user)
    if (held === undefined) return DONE
    let ok = true
    if (kind === "purchase-offline" || kind === "transit") ok = this.offline(user, held, amountFen, isoDate)
    else if (kind === "purchase-online") ok = this.online(user, held, amountFen, isoDate)
    else if (kind === "load")
      ok = this.load(user, held, Math.min(amountFen, ECASH_BALANCE_LIMIT_FEN - held.balanceFen), isoDate)
    return ok ? DONE : failed(`the card's ${kind} did not complete`)
  }

  private run(
    held: HeldCard,
    amountFen: number,
    type: number,
    offline: boolean,
    loadFen: number | null,
    isoDate: string,
  ): TerminalOutcome {
    const ctx = materialize(held, this.crypto)
    const o = runTransaction(
      ctx.card,
      {
        amountFen,
        type,
        dateYymmdd: dateOf(isoDate),
        unpredictableNumber: ctx.unpredictableNumber(4),
        path: offline ? "qpboc" : "pboc",
        ecashSupported: offline,
        onlineRequired: type === TYPE_ECASH_LOAD,
      },
      (request) =>
        answerOnlineRequest(ctx.crypto, ctx.algorithm, ctx.keys.imks, request, { approve: true, loadFen }),
    )
    putAway(held, ctx)
    this.tally.apdus += ctx.card.exchangeTotal()
    this.tally.transactions++
    return o
  }

  private offline(user: number, held: HeldCard, amountFen: number, isoDate: string): boolean {
    const amount = Math.max(1, Math.min(amountFen, ECASH_SINGLE_LIMIT_FEN))
    if (held.balanceFen < amount) this.load(user, held, TOP_UP_FEN, isoDate)
    const o = this.run(held, amount, TYPE_PURCHASE, true, null, isoDate)
    const expected = held.balanceFen - amount
    if (o.kind !== "approved-offline" || o.balanceAfterFen !== expected) {
      this.violation(
        `user ${user}: offline purchase of ${amount} fen gave ${o.kind}, balance ${"balanceAfterFen" in o ? o.balanceAfterFen : "?"} ≠ ${expected}`,
      )
      return false
    }
    held.balanceFen = expected
    return true
  }

  private online(user: number, held: HeldCard, amountFen: number, isoDate: string): boolean {
    const o = this.run(held, Math.max(1, amountFen), TYPE_PURCHASE, false, null, isoDate)
    if (o.kind === "approved-online" && o.tc !== null) return true
    this.violation(`user ${user}: online purchase gave ${o.kind}`)
    return false
  }

  private load(user: number, held: HeldCard, loadFen: number, isoDate: string): boolean {
    if (loadFen <= 0) return true
    const o = this.run(held, loadFen, TYPE_ECASH_LOAD, false, loadFen, isoDate)
    const accepted = o.kind === "approved-online" && o.scriptSws.length === 1 && o.scriptSws[0] === 0x9000
    if (!accepted) {
      this.violation(`user ${user}: 圈存 of ${loadFen} fen gave ${o.kind}`)
      return false
    }
    held.balanceFen += loadFen
    return true
  }
}
