// Proves that the event-log digest is a function of the seed: equal in one process and across
// processes for the same seed, different for different seeds, and sensitive to a single event.
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { canonicalJson, EventDigest } from "../../../sim/recorder/digest.ts"
import { runMmc } from "../mmc-model.ts"

const options = {
  servers: 4,
  rho: 0.8,
  serviceUsMean: 10_000,
  warmupUs: 1_000_000,
  measureUs: 20_000_000,
  digest: true,
}
const ROOT = resolve(import.meta.dirname, "../../..")

describe("EventDigest", () => {
  it("gives the same digest for the same seed twice in one process, and differs across seeds", () => {
    const a = runMmc(7, options).digest
    const b = runMmc(7, options).digest
    const c = runMmc(8, options).digest
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(b).toBe(a)
    expect(c).not.toBe(a)
  })

  it("gives the same digest in a separate process", () => {
    const here = runMmc(7, options).digest
    const child = execFileSync(process.execPath, ["--import", "tsx", "test/sim/digest-child.ts", "7"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim()
    expect(child).toBe(here)
  })

  it("hashes the documented encoding: 0x01 · u64 time · u32 kind · f64 a0, big-endian", () => {
    const digest = new EventDigest()
    digest.record(2 ** 40 + 5, 3, 1.5)
    const bytes = Buffer.alloc(21)
    bytes.writeUInt8(1, 0)
    bytes.writeBigUInt64BE(BigInt(2 ** 40 + 5), 1)
    bytes.writeUInt32BE(3, 9)
    bytes.writeDoubleBE(1.5, 13)
    expect(digest.hex()).toBe(createHash("sm3").update(bytes).digest("hex"))
  })

  it("hashes byte records as 0x03 · u64 time · u8 tag · u32 length · bytes, small and large alike", () => {
    const small = Uint8Array.of(0x00, 0xa4, 0x04, 0x00)
    const large = new Uint8Array(70_000).map((_, i) => i & 0xff)
    const digest = new EventDigest()
    digest.record(7, 1, 2)
    digest.recordBytes(9, 1, small)
    digest.recordBytes(10, 3, large)
    const head = (timeUs: number, tag: number, length: number) => {
      const b = Buffer.alloc(14)
      b.writeUInt8(3, 0)
      b.writeBigUInt64BE(BigInt(timeUs), 1)
      b.writeUInt8(tag, 9)
      b.writeUInt32BE(length, 10)
      return b
    }
    const event = Buffer.alloc(21)
    event.writeUInt8(1, 0)
    event.writeBigUInt64BE(7n, 1)
    event.writeUInt32BE(1, 9)
    event.writeDoubleBE(2, 13)
    const expected = createHash("sm3")
      .update(event)
      .update(head(9, 1, 4))
      .update(small)
      .update(head(10, 3, large.length))
      .update(large)
      .digest("hex")
    expect(digest.hex()).toBe(expected)
  })

  it("changes when one byte of a byte record changes", () => {
    const one = new EventDigest()
    const two = new EventDigest()
    const bytes = new Uint8Array(300).fill(0x5a)
    one.recordBytes(1, 2, bytes)
    bytes[299] = 0x5b
    two.recordBytes(1, 2, bytes)
    expect(one.hex()).not.toBe(two.hex())
  })

  it("changes when one event's payload changes", () => {
    const one = new EventDigest()
    const two = new EventDigest()
    for (let i = 0; i < 10_000; i++) {
      one.record(i, 1, i)
      two.record(i, 1, i === 9_999 ? -1 : i)
    }
    expect(one.hex()).not.toBe(two.hex())
  })

  it("encodes signal payloads with sorted keys", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3] } })).toBe('{"a":{"c":[3],"d":2},"b":1}')
    const x = new EventDigest()
    const y = new EventDigest()
    x.recordSignal(5, "order.done", { id: 1, fen: 200 })
    y.recordSignal(5, "order.done", { fen: 200, id: 1 })
    expect(x.hex()).toBe(y.hex())
  })
})
