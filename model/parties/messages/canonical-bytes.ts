/**
 * The byte writer and reader under the twin's canonical message and envelope encodings: fixed-width
 * big-endian integers and length-prefixed byte strings, nothing else. One value has exactly one
 * encoding, so signatures over it are reproducible (no JSON, no key-order dependence).
 *
 * The reader throws `MalformedInput` with the offset; the decoders catch it at their boundary and
 * answer a typed error, so bad bytes never escape as an exception (the same pattern as the DER
 * reader in model/crypto/x509).
 */

export class MalformedInput extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${reason} at byte ${offset}`)
  }
}

export class ByteWriter {
  private buffer = new Uint8Array(256)
  private length = 0

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return
    let size = this.buffer.length * 2
    while (size < this.length + count) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.buffer.subarray(0, this.length))
    this.buffer = grown
  }

  uint(value: number, width: 1 | 2 | 4 | 8): void {
    const max = width === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * width) - 1
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      throw new RangeError(`${value} does not fit an unsigned ${8 * width}-bit field`)
    }
    this.reserve(width)
    let rest = value
    for (let i = width - 1; i >= 0; i--) {
      this.buffer[this.length + i] = rest % 256
      rest = Math.floor(rest / 256)
    }
    this.length += width
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length)
    this.buffer.set(bytes, this.length)
    this.length += bytes.length
  }

  /** A length of `width` bytes, then the bytes. */
  prefixed(bytes: Uint8Array, width: 1 | 2 | 4): void {
    this.uint(bytes.length, width)
    this.raw(bytes)
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length)
  }
}

export class ByteReader {
  private at: number

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.at = start
  }

  get offset(): number {
    return this.at
  }

  uint(width: 1 | 2 | 4 | 8, what: string): number {
    const span = this.take(width, what)
    let value = 0
    for (const byte of span) value = value * 256 + byte
    if (!Number.isSafeInteger(value)) throw new MalformedInput(this.at - width, `${what} above 2^53`)
    return value
  }

  take(count: number, what: string): Uint8Array {
    if (count > this.end - this.at) throw new MalformedInput(this.at, `${what} cut off`)
    const span = this.bytes.subarray(this.at, this.at + count)
    this.at += count
    return span
  }

  prefixed(width: 1 | 2 | 4, what: string, maxBytes: number): Uint8Array {
    const start = this.at
    const length = this.uint(width, `${what} length`)
    if (length > maxBytes) throw new MalformedInput(start, `${what} of ${length} bytes (max ${maxBytes})`)
    return this.take(length, what)
  }

  expectEnd(what: string): void {
    if (this.at !== this.end) throw new MalformedInput(this.at, `${this.end - this.at} bytes after ${what}`)
  }
}
