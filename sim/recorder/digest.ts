/**
 * The event-log digest (DESIGN.md §4): SM3 over a canonical binary encoding of every processed
 * event, so that two runs with the same inputs show the same 64-hex-digit digest and any
 * divergence, however small, shows a different one.
 *
 * Canonical encoding, big-endian, one record after another with no separators:
 * - kernel event: 0x01 · time µs (u64) · kind (u32, the handler id in registration order, which
 *   is fixed by the code version) · a0 (IEEE-754 binary64; the event's numeric payload);
 * - signal: 0x02 · time µs (u64) · name length (u32) · name (UTF-8) · payload length (u32) ·
 *   payload (UTF-8 JSON with keys sorted recursively);
 * - bytes: 0x03 · time µs (u64) · tag (u8, what the bytes are: an APDU command or response, an
 *   envelope; the caller's numbering) · length (u32) · the bytes — every byte of byte-level flows
 *   (issue 12 item 4), so two runs that differ in one key or one APDU byte differ in digest.
 * References carried by events are not hashed; what they do shows up in later events and signals.
 *
 * Records are packed into a 64 KiB buffer and fed to node:crypto's SM3 when it fills, so the cost
 * per event is a few typed-array writes rather than a hash call.
 */
import { createHash, type Hash } from "node:crypto"
import type { EventLog } from "../kernel/kernel.ts"

const BUFFER_BYTES = 64 * 1024
const EVENT_BYTES = 21
const BYTES_HEAD = 14
const TWO_32 = 4294967296

/** JSON with object keys sorted at every depth, so equal values always encode equally. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )

export class EventDigest implements EventLog {
  private readonly hash: Hash = createHash("sm3")
  private readonly buffer = new Uint8Array(BUFFER_BYTES)
  private readonly view = new DataView(this.buffer.buffer)
  private used = 0
  private records = 0
  private final: string | null = null

  get recordCount(): number {
    return this.records
  }

  record(timeUs: number, kind: number, a0: number): void {
    if (this.used + EVENT_BYTES > BUFFER_BYTES) this.drain()
    const view = this.view
    const at = this.used
    view.setUint8(at, 0x01)
    view.setUint32(at + 1, Math.floor(timeUs / TWO_32))
    view.setUint32(at + 5, timeUs >>> 0)
    view.setUint32(at + 9, kind)
    view.setFloat64(at + 13, a0)
    this.used = at + EVENT_BYTES
    this.records++
  }

  recordSignal(timeUs: number, name: string, payload: unknown): void {
    const nameBytes = Buffer.from(name, "utf8")
    const body = Buffer.from(canonicalJson(payload) ?? "null", "utf8")
    const head = new DataView(new ArrayBuffer(13))
    head.setUint8(0, 0x02)
    head.setUint32(1, Math.floor(timeUs / TWO_32))
    head.setUint32(5, timeUs >>> 0)
    head.setUint32(9, nameBytes.length)
    const len = new DataView(new ArrayBuffer(4))
    len.setUint32(0, body.length)
    this.drain()
    this.hash.update(new Uint8Array(head.buffer))
    this.hash.update(nameBytes)
    this.hash.update(new Uint8Array(len.buffer))
    this.hash.update(body)
    this.records++
  }

  /** Folds `bytes` in as one record (see the encoding above); copies them, so the caller may reuse its buffer. */
  recordBytes(timeUs: number, tag: number, bytes: Uint8Array): void {
    if (this.used + BYTES_HEAD + bytes.length > BUFFER_BYTES) this.drain()
    const view = this.view
    const at = this.used
    view.setUint8(at, 0x03)
    view.setUint32(at + 1, Math.floor(timeUs / TWO_32))
    view.setUint32(at + 5, timeUs >>> 0)
    view.setUint8(at + 9, tag)
    view.setUint32(at + 10, bytes.length)
    if (BYTES_HEAD + bytes.length > BUFFER_BYTES) {
      this.used = at + BYTES_HEAD
      this.drain()
      this.hash.update(bytes)
    } else {
      this.buffer.set(bytes, at + BYTES_HEAD)
      this.used = at + BYTES_HEAD + bytes.length
    }
    this.records++
  }

  /** The SM3 digest in lower-case hex; afterwards the digest accepts no more records. */
  hex(): string {
    if (this.final === null) {
      this.drain()
      this.final = this.hash.digest("hex")
    }
    return this.final
  }

  private drain(): void {
    if (this.final !== null) throw new Error("digest already finalized")
    if (this.used > 0) this.hash.update(this.buffer.subarray(0, this.used))
    this.used = 0
  }
}
