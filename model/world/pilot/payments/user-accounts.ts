/**
 * Each user's hot money state (issue 12 rule 2: typed arrays, no object per user), interleaved
 * four doubles per user so that one transaction touches one cache line instead of one per array
 * (35 M transactions at 1× land on users at random; measured with `npm run bench:payments`):
 * - the customer's deposit at the issuing bank, fen;
 * - the e-cash on the card, fen;
 * - the card's ATC and the host's last online ATC, packed (both 16-bit on a PBOC card);
 * - the issuing bank's index, the host's flags and the day up to which income was credited.
 */

/** Doubles per user. */
export const USER_STRIDE = 4
const DEPOSIT = 0
const ECASH = 1
const ATCS = 2
const META = 3
/** The ATC is two bytes (EMV Book 3 Annex A, tag 9F36); the host's last ATC + 1 needs one bit more. */
export const ATC_MAX = 0xffff
const ATC_SPAN = 1 << 17
/** Days fit the meta word's top 21 bits (the pilot runs ~1,100 days). */
export const INCOME_DAY_MAX = (1 << 21) - 1

/** Host flags (meta bits 8-9). */
export const HOST_FLAG = { known: 1, hotListed: 2 } as const

export class UserAccounts {
  readonly words: Float64Array

  constructor(readonly users: number) {
    this.words = new Float64Array(users * USER_STRIDE)
    // The host has seen no ATC yet: last online ATC −1 (stored + 1 = 0), card ATC 0.
  }

  depositFen(user: number): number {
    return this.words[user * USER_STRIDE + DEPOSIT]!
  }

  addDeposit(user: number, fen: number): void {
    this.words[user * USER_STRIDE + DEPOSIT]! += fen
  }

  ecashFen(user: number): number {
    return this.words[user * USER_STRIDE + ECASH]!
  }

  addEcash(user: number, fen: number): void {
    this.words[user * USER_STRIDE + ECASH]! += fen
  }

  bankOf(user: number): number {
    return this.words[user * USER_STRIDE + META]! & 0xff
  }

  flagsOf(user: number): number {
    return (this.words[user * USER_STRIDE + META]! >>> 8) & 3
  }

  incomeDayOf(user: number): number {
    return this.words[user * USER_STRIDE + META]! >>> 10
  }

  setMeta(user: number, bank: number, flags: number, incomeDay: number): void {
    if (
      !(
        bank >= 0 &&
        bank <= 0xff &&
        flags >= 0 &&
        flags <= 3 &&
        incomeDay >= 0 &&
        incomeDay <= INCOME_DAY_MAX
      )
    )
      throw new RangeError(`user ${user}: bank ${bank}, flags ${flags}, day ${incomeDay}`)
    this.words[user * USER_STRIDE + META] = bank + flags * 256 + incomeDay * 1024
  }

  cardAtcOf(user: number): number {
    return Math.floor(this.words[user * USER_STRIDE + ATCS]! / ATC_SPAN)
  }

  /** The host's last online ATC, −1 before the first. */
  hostAtcOf(user: number): number {
    return (this.words[user * USER_STRIDE + ATCS]! % ATC_SPAN) - 1
  }

  setAtcs(user: number, cardAtc: number, hostAtc: number): void {
    // A PBOC card stops at ATC FFFF (it must be replaced); the pilot's users never get near it.
    if (!(cardAtc >= 0 && cardAtc <= ATC_MAX && hostAtc >= -1 && hostAtc <= ATC_MAX))
      throw new RangeError(`user ${user}: ATC ${cardAtc}, host ATC ${hostAtc}`)
    this.words[user * USER_STRIDE + ATCS] = cardAtc * ATC_SPAN + hostAtc + 1
  }
}
