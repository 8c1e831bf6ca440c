/**
 * The population's hot state: one slot per user in pre-sized typed arrays (DESIGN.md §4, §5: at
 * most 64 B per non-adopting user). Nothing here is an object per user; a user's attributes are
 * re-derived from (seed, index) when needed (user.ts), and only what diverges from that pure
 * function — adoption time once computed, card state, counters, the stream sequence — is kept.
 */

/** The card's state as the population sees it (the TSM and the card hold the real lifecycle). */
export const CardState = { none: 0, active: 1, lost: 2, closed: 3 } as const
export type CardState = (typeof CardState)[keyof typeof CardState]

/** What the user's one pending event is; only the next event of each user is ever scheduled. */
export const PendingEvent = { none: 0, transaction: 1, loss: 2, reissueDue: 3, close: 4, simSwap: 5 } as const
export type PendingEvent = (typeof PendingEvent)[keyof typeof PendingEvent]

/** Lifecycle flags, one bit each. */
export const LifecycleFlag = { everLost: 1, closedAfterLoss: 2, closedVoluntarily: 4 } as const

/** A time slot with no value (never adopts, nothing pending). */
export const NO_TIME_S = 0xffff_ffff

export class PopulationState {
  /** Adoption instant in whole seconds after time zero; NO_TIME_S = not within the horizon. */
  readonly adoptAtS: Uint32Array
  readonly cardState: Uint8Array
  readonly pendingEvent: Uint8Array
  readonly flags: Uint8Array
  /**
   * The user's card generation: 0 for the first card, one more for each 补卡 or SIM swap (each
   * puts the card on a new SE); saturates at 255.
   */
  readonly cardGeneration: Uint8Array
  /** Instant of the user's next lifecycle event (loss, reissue due, close, SIM swap) in seconds; NO_TIME_S if none. */
  readonly lifecycleAtS: Uint32Array
  /** How many event streams the user has consumed; each event derives its stream from it. */
  readonly eventSeq: Uint32Array
  readonly transactions: Uint32Array
  /** The user's activity multiplier, drawn once at adoption (mean 1). */
  readonly activity: Float32Array

  constructor(readonly users: number) {
    if (!(Number.isSafeInteger(users) && users >= 1 && users <= 0x4000_0000))
      throw new RangeError(`population of ${users} users`)
    this.adoptAtS = new Uint32Array(users).fill(NO_TIME_S)
    this.cardState = new Uint8Array(users)
    this.pendingEvent = new Uint8Array(users)
    this.flags = new Uint8Array(users)
    this.cardGeneration = new Uint8Array(users)
    this.lifecycleAtS = new Uint32Array(users).fill(NO_TIME_S)
    this.eventSeq = new Uint32Array(users)
    this.transactions = new Uint32Array(users)
    this.activity = new Float32Array(users)
  }

  /** Bytes of typed-array storage per user (the arrays are the whole per-user footprint). */
  bytesPerUser(): number {
    const arrays = [
      this.adoptAtS,
      this.cardState,
      this.pendingEvent,
      this.flags,
      this.cardGeneration,
      this.lifecycleAtS,
      this.eventSeq,
      this.transactions,
      this.activity,
    ]
    return arrays.reduce((a, x) => a + x.byteLength, 0) / this.users
  }
}
