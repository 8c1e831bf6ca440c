/**
 * A minimal reader for DER (ITU-T X.690 §8 and §10): definite lengths only, minimal length
 * encodings, single-byte tags (every tag in an X.509 certificate is one). It keeps byte offsets,
 * so a caller can take the exact encoded span of an element (the TBSCertificate that was signed,
 * a Name compared byte for byte).
 *
 * Inside a parse, a malformed encoding throws `DerFailure`; the parser's entry point catches it
 * and returns it as a typed error value with its offset, so nothing untyped leaves a parser.
 * Throwing inside keeps the structural code linear; failures are rare, so their cost is moot.
 */

export type DerFailureReason =
  | "truncated"
  | "indefinite-length"
  | "non-minimal-length"
  | "length-too-large"
  | "unsupported-tag"
  | "unexpected-tag"
  | "trailing-bytes"
  | "bad-value"

/** A parse failure; formats built on DER (X.509) throw it with reasons of their own too. */
export class DerFailure<Reason extends string = DerFailureReason> extends Error {
  constructor(
    readonly reason: Reason,
    readonly offset: number,
    message: string,
  ) {
    super(message)
  }
}

/** One TLV: the tag byte at `start`, its value in [valueStart, end). */
export interface DerElement {
  readonly tag: number
  readonly start: number
  readonly valueStart: number
  readonly end: number
}

/** Lengths beyond 4 bytes (4 GiB) are refused: no certificate comes near. */
const LENGTH_BYTES_MAX = 4

/** Reads the element at `offset`, which must end by `limit`. */
export const readElement = (bytes: Uint8Array, offset: number, limit: number): DerElement => {
  if (offset >= limit) throw new DerFailure("truncated", offset, "element expected, input ended")
  const tag = bytes[offset]!
  if ((tag & 0x1f) === 0x1f)
    throw new DerFailure("unsupported-tag", offset, "multi-byte tags are not used in X.509")
  if (offset + 1 >= limit) throw new DerFailure("truncated", offset + 1, "length expected, input ended")
  const first = bytes[offset + 1]!
  let length = first
  let valueStart = offset + 2
  if (first === 0x80) throw new DerFailure("indefinite-length", offset + 1, "indefinite length is not DER")
  if (first > 0x80) {
    const count = first & 0x7f
    if (count > LENGTH_BYTES_MAX)
      throw new DerFailure("length-too-large", offset + 1, `${count} length bytes`)
    if (valueStart + count > limit) throw new DerFailure("truncated", offset + 1, "length bytes cut off")
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + bytes[valueStart + i]!
    // X.690 §10.1: the fewest length octets; the long form only for lengths of 128 and more.
    if (length < 0x80 || bytes[valueStart] === 0) {
      throw new DerFailure("non-minimal-length", offset + 1, "length not in its shortest form")
    }
    valueStart += count
  }
  if (valueStart + length > limit) {
    throw new DerFailure("truncated", valueStart, `value of ${length} bytes runs past the end`)
  }
  return { tag, start: offset, valueStart, end: valueStart + length }
}

/** Reads the elements of a constructed value (or a whole input) one after another. */
export class DerReader {
  private position: number

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.position = start
  }

  static of(bytes: Uint8Array, element: DerElement): DerReader {
    return new DerReader(bytes, element.valueStart, element.end)
  }

  get offset(): number {
    return this.position
  }

  atEnd(): boolean {
    return this.position >= this.end
  }

  /** The next element, which must carry `tag`. */
  read(tag: number): DerElement {
    const element = readElement(this.bytes, this.position, this.end)
    if (element.tag !== tag) {
      throw new DerFailure(
        "unexpected-tag",
        element.start,
        `tag ${hex2(element.tag)} where ${hex2(tag)} belongs`,
      )
    }
    this.position = element.end
    return element
  }

  /** The next element, whatever its tag. */
  readAny(): DerElement {
    const element = readElement(this.bytes, this.position, this.end)
    this.position = element.end
    return element
  }

  /** The next element if it carries `tag`, else null (nothing consumed). */
  readOptional(tag: number): DerElement | null {
    if (this.atEnd() || this.bytes[this.position] !== tag) return null
    return this.read(tag)
  }

  /** The constructed value must be used up exactly. */
  expectEnd(): void {
    if (!this.atEnd())
      throw new DerFailure("trailing-bytes", this.position, "unexpected bytes after the last element")
  }
}

const hex2 = (value: number): string => value.toString(16).toUpperCase().padStart(2, "0")

/** The element's encoded bytes, header included (what a signature covers). */
export const encodedSpan = (bytes: Uint8Array, element: DerElement): Uint8Array =>
  bytes.slice(element.start, element.end)

/** The element's value bytes (a view, not a copy). */
export const valueBytesOf = (bytes: Uint8Array, element: DerElement): Uint8Array =>
  bytes.subarray(element.valueStart, element.end)
