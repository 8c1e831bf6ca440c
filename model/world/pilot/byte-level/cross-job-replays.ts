/**
 * Replay detection across the byte plane's jobs (issue 12 item 3, issue 17 item 4). A job verifies
 * its own envelopes with receivers that start the job with empty replay memory
 * (envelope-chain.ts `setJobPurpose`), so its bytes and verdicts are the same on any thread, in any
 * order; that memory catches a replay within the job only. What a real receiver keeps — one window
 * per receiver over every sender's nonces (model/parties/messages/replay-window.ts) — is kept here,
 * on the kernel's thread, for the whole run: each job's result lists the envelopes its receivers
 * accepted (receiver, sender, nonce, arrival), and the kernel checks them here when it folds the
 * result (issuance-plane.ts), in its own event order, so the verdicts do not depend on the thread
 * count or on which jobs were posted ahead.
 *
 * The window rule is ReplayWindow's: a (sender, nonce) accepted at arrival a is remembered until
 * a + 2w (w = the verifier's time window, WINDOW_US_DEFAULT), so a second arrival a' of the same
 * key is a replay when a' − a ≤ 2w. Fold order is not arrival order (a job is folded at its
 * order's create-ssd, which comes later for some orders than for others), so two differences:
 * - arrivals may go back, which ReplayWindow refuses ("time went back"): the rule is applied to
 *   |a' − a| ≤ 2w, whichever folded first, and a collision is blamed on the job folded second — the
 *   one whose outcome is still open. For a pair of jobs sharing a key that is the same count a
 *   receiver seeing them in arrival order would make; in a chain of three or more within 2w the
 *   blame (and so the count) can differ from it.
 * - eviction follows a horizon, not the latest arrival: no job folded later can arrive before the
 *   oldest job still pending (jobs are posted in time order, issuance-plane.ts) nor before now, so
 *   an entry leaves once a + 2w < that horizon. The horizon only moves forward; that, not the
 *   arrivals, is what is asserted. Entries leave in fold order (the head waits for its own
 *   eviction), so memory is bounded by the jobs folded over 2w plus the longest pending order, and
 *   by `entriesMax` per receiver (beyond it the receiver refuses: "overloaded", as its verifier does).
 */
import { ArrivalQueue } from "../../../parties/messages/arrival-queue.ts"
import { REPLAY_ENTRIES_MAX_DEFAULT, WINDOW_US_DEFAULT } from "../../../parties/messages/envelope-verifier.ts"
import type { AcceptedEnvelope } from "./envelope-chain.ts"
import type { IssuanceResult } from "./issuance-job.ts"

/** The first of a job's accepted envelopes that the run's memory refuses, and why. */
export interface CrossJobRefusal {
  /** Its index in the job's accepted envelopes (= in the job's envelopes, hop order). */
  readonly index: number
  readonly verdict: "replayed" | "overloaded"
}

/** One receiver's accepted (sender, nonce) keys across jobs, arrivals in any order. */
export class FoldedReplayWindow {
  /** Arrivals of each key still remembered (more than one only when they are > 2w apart). */
  private readonly arrivalsByKey = new Map<string, number[]>()
  /** The entries in fold order: they leave in that order (see the file comment). */
  private readonly queue: ArrivalQueue
  /** What an entry leaving the queue takes with it (one function for the window's life). */
  private readonly forget = (key: string, atUs: number): void => {
    const arrivals = this.arrivalsByKey.get(key)!
    arrivals.splice(arrivals.indexOf(atUs), 1)
    if (arrivals.length === 0) this.arrivalsByKey.delete(key)
  }

  constructor(
    private readonly windowUs: number,
    /** The most entries held at once (STYLE.md rule 3); beyond it `remember` refuses. */
    readonly entriesMax: number,
  ) {
    this.queue = new ArrivalQueue(windowUs)
    if (!Number.isSafeInteger(entriesMax) || entriesMax < 1) throw new RangeError(`entriesMax ${entriesMax}`)
  }

  get size(): number {
    return this.queue.size
  }

  /** Whether `key` was accepted within 2·window of `atUs`, before or after it. */
  has(key: string, atUs: number): boolean {
    const arrivals = this.arrivalsByKey.get(key)
    if (arrivals === undefined) return false
    for (const a of arrivals) if (Math.abs(atUs - a) <= 2 * this.windowUs) return true
    return false
  }

  /** Forgets entries no arrival at or after `horizonUs` can replay (a + 2w < horizon). */
  evict(horizonUs: number): void {
    this.queue.evict(horizonUs, this.forget)
  }

  /** Records `key` accepted at `atUs`; false (nothing recorded) when the window is full. */
  remember(key: string, atUs: number): boolean {
    if (this.size >= this.entriesMax) return false
    const arrivals = this.arrivalsByKey.get(key)
    if (arrivals === undefined) this.arrivalsByKey.set(key, [atUs])
    else arrivals.push(atUs)
    this.queue.push(key, atUs)
    return true
  }
}

/** Every receiver's window over the run's folded jobs (see the file comment). */
export class CrossJobReplays {
  private readonly windows = new Map<string, FoldedReplayWindow>()
  private horizonUs = Number.NEGATIVE_INFINITY
  /** Envelopes refused here (a job's refusal counts one: its chain stops there). */
  readonly refused = { replayed: 0, overloaded: 0 }
  /** The most entries held at once over all receivers (bench figures). */
  entriesPeak = 0

  constructor(
    private readonly windowUs = WINDOW_US_DEFAULT,
    private readonly entriesMax = REPLAY_ENTRIES_MAX_DEFAULT,
  ) {}

  /** Entries held now over all receivers. */
  get entries(): number {
    let n = 0
    for (const w of this.windows.values()) n += w.size
    return n
  }

  /**
   * Checks a folded job's accepted envelopes in hop order, remembering each until the first one
   * refused (the real chain stops there: later hops were never delivered); null when none is.
   * `horizonUs`: no job folded from now on arrives before it (the oldest pending job, or now).
   */
  check(accepted: ReadonlyArray<AcceptedEnvelope>, horizonUs: number): CrossJobRefusal | null {
    let horizon = horizonUs
    for (const e of accepted) horizon = Math.min(horizon, e.atUs)
    if (horizon < this.horizonUs)
      throw new RangeError(`replay horizon went back: ${horizon} < ${this.horizonUs} µs`)
    this.horizonUs = horizon
    for (let i = 0; i < accepted.length; i++) {
      const e = accepted[i]!
      const window = this.windowOf(e.receiver)
      window.evict(horizon)
      const key = `${e.sender}/${e.nonceHex}`
      if (window.has(key, e.atUs)) return this.refuse(i, "replayed")
      if (!window.remember(key, e.atUs)) return this.refuse(i, "overloaded")
    }
    const held = this.entries
    if (held > this.entriesPeak) this.entriesPeak = held
    return null
  }

  private refuse(index: number, verdict: CrossJobRefusal["verdict"]): CrossJobRefusal {
    this.refused[verdict]++
    return { index, verdict }
  }

  private windowOf(receiver: string): FoldedReplayWindow {
    let window = this.windows.get(receiver)
    if (window === undefined) {
      window = new FoldedReplayWindow(this.windowUs, this.entriesMax)
      this.windows.set(receiver, window)
    }
    return window
  }
}

/**
 * What a job's result becomes when the run's memory refuses its accepted envelope `refusal.index`:
 * the issuance fails at create-ssd with the receiver's verdict, as a chain refused inside the job
 * does (ByteLevelCards.prepare) — a failed flow, a violation, nothing held; that envelope counts as
 * rejected, and the hops after it, never delivered, leave the envelope counts and the evidence
 * (messages.ndjson). The job's other work (card APDUs, OTA plan, crypto operations) stays counted:
 * the byte plane did it ahead of the check.
 */
export const refusedResult = (r: IssuanceResult, refusal: CrossJobRefusal, user: number): IssuanceResult => {
  const e = r.accepted[refusal.index]!
  const reason = `${e.receiver} rejected ${e.sender}'s envelope: ${refusal.verdict}`
  const delivered = refusal.index + 1
  const envelopes = r.envelopes
    .slice(0, delivered)
    .map((x, i) =>
      i === refusal.index ? { bytes: x.bytes, record: { ...x.record, verdict: refusal.verdict } } : x,
    )
  const why =
    refusal.verdict === "replayed"
      ? "its (sender, nonce) was accepted from another job within the replay window"
      : "the receiver's replay memory is full"
  return {
    ...r,
    card: {
      generation: r.card.generation,
      held: null,
      failAt: "create-ssd",
      work: { ok: false, cardUs: 0, reason },
    },
    tally: { ...r.tally, violations: [...r.tally.violations, `user ${user}: ${reason} (${why})`] },
    chain: { signed: delivered, verified: delivered, rejected: 1 },
    accepted: r.accepted.slice(0, refusal.index),
    envelopes,
  }
}
