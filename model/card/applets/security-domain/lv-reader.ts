/**
 * Reads the length-value fields of INSTALL and DELETE data (GP 2.3 §11.5.2.3: every field is one
 * length byte followed by that many bytes). A field running past the data is an incorrect-data
 * outcome, never an exception.
 */
export class LvReader {
  private offset = 0
  constructor(private readonly data: Uint8Array) {}

  /** The next field, or null when the data ends inside it. */
  next(): Uint8Array | null {
    if (this.offset >= this.data.length) return null
    const length = this.data[this.offset]!
    const start = this.offset + 1
    if (start + length > this.data.length) return null
    this.offset = start + length
    return this.data.subarray(start, start + length)
  }

  /** Bytes read so far (where the next field starts). */
  get position(): number {
    return this.offset
  }

  atEnd(): boolean {
    return this.offset === this.data.length
  }
}
