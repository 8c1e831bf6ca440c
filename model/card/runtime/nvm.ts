/**
 * The card's non-volatile memory: one byte image written page by page through an undo journal, so
 * that power lost after any write leaves, once `recover()` ran at the next reset, the image of the
 * last committed transaction or the one before it — never a mixture (the EEPROM commit buffer of
 * Java Card 3 RE §7 "Atomicity and Transactions", modelled at page granularity).
 *
 * Every primitive write (a journal record, a page, the commit mark) counts one write index; the
 * tearing hook cuts power right after a chosen index by throwing `PowerLoss`, which only the card
 * runtime's outer transmit boundary catches.
 */

/** Bytes per NVM page; a changed page costs one journal write and one page write. */
export const PAGE_BYTES = 32

/** Thrown by the tearing hook; the card runtime turns it into a mute card until reset. */
export class PowerLoss {
  readonly _tag = "PowerLoss"
}

interface JournalRecord {
  readonly page: number
  /** Page bytes before the transaction (shorter than a page at the end of the old image). */
  readonly before: Uint8Array
}

export class Nvm {
  private bytes: Uint8Array
  private journal: JournalRecord[] | null = null
  private journalLength = 0
  private writes = 0
  private tearAt: number | null = null

  constructor(
    image: Uint8Array,
    readonly capacityBytes: number,
  ) {
    if (image.length > capacityBytes)
      throw new RangeError(`image of ${image.length} bytes exceeds ${capacityBytes}`)
    this.bytes = image.slice()
  }

  /** The committed image (a copy). */
  image(): Uint8Array {
    return this.bytes.slice()
  }

  writeCount(): number {
    return this.writes
  }

  /** Arms the tearing hook: power is lost right after write number `writes + index`. */
  tearAfterWrite(index: number | null): void {
    if (index !== null && (!Number.isInteger(index) || index < 0))
      throw new RangeError(`bad write index ${index}`)
    this.tearAt = index === null ? null : this.writes + index
  }

  /**
   * Replaces the image by `next` as one atomic transaction: begin (journal opened), for every page
   * that differs: journal its old bytes, write it; commit (journal closed, length set).
   */
  store(next: Uint8Array): void {
    if (next.length > this.capacityBytes)
      throw new RangeError(`image of ${next.length} bytes exceeds capacity`)
    this.journal = []
    this.journalLength = this.bytes.length
    this.tick()
    const pages = Math.ceil(Math.max(next.length, this.bytes.length) / PAGE_BYTES)
    const working = new Uint8Array(Math.max(next.length, this.bytes.length))
    working.set(this.bytes)
    for (let page = 0; page < pages; page++) {
      const start = page * PAGE_BYTES
      const end = Math.min(start + PAGE_BYTES, next.length)
      if (samePage(this.bytes, next, start)) continue
      this.journal.push({ page, before: this.bytes.slice(start, start + PAGE_BYTES) })
      this.tick()
      if (end > start) working.set(next.subarray(start, end), start)
      // The image is now `working` itself (no copy per page): later pages are journalled from it
      // before they are written, so a tear at any tick sees exactly the pages written so far.
      this.bytes = working
      this.tick()
    }
    this.bytes = this.bytes.slice(0, next.length)
    this.journal = null
    this.tick()
  }

  /** Rolls back an interrupted transaction (run at reset). */
  recover(): void {
    if (this.journal === null) return
    const restored = new Uint8Array(Math.max(this.bytes.length, this.journalLength))
    restored.set(this.bytes)
    for (let i = this.journal.length - 1; i >= 0; i--) {
      const record = this.journal[i]!
      restored.set(record.before, record.page * PAGE_BYTES)
    }
    this.bytes = restored.slice(0, this.journalLength)
    this.journal = null
  }

  private tick(): void {
    const index = this.writes
    this.writes += 1
    if (this.tearAt !== null && index >= this.tearAt) {
      this.tearAt = null
      throw new PowerLoss()
    }
  }
}

const samePage = (a: Uint8Array, b: Uint8Array, start: number): boolean => {
  const end = start + PAGE_BYTES
  if (Math.min(a.length, end) !== Math.min(b.length, end)) return false
  for (let i = start; i < Math.min(a.length, end); i++) if (a[i] !== b[i]) return false
  return true
}
