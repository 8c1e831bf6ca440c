// Proves the TSM's batch file interface: a file the bank writes is read back record for record;
// a broken frame (header, counts, digest) refuses the file with its line, a broken record only
// that record; arbitrary text never throws; and publication checks refuse what the catalogue
// must not hold.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { publicationRefusal } from "../../../../model/parties/tsm/app-catalogue.ts"
import { parseBatchFile, writeBatchFile } from "../../../../model/parties/tsm/batch-file.ts"
import {
  CCB_DEBIT,
  GYB_DEBIT,
  GZT_TRANSIT,
  SEVEN_PLUS_N,
} from "../../../../model/world/issuance/pilot-apps.ts"

const record = fc.record({
  orderId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
  userIndex: fc.nat(),
  seId: fc
    .uint8Array({ minLength: 8, maxLength: 16 })
    .map((b) => Buffer.from(b).toString("hex").toUpperCase()),
  seProtocol: fc.constantFrom("SCP02" as const, "SCP03" as const, "SM4" as const),
  appId: fc.constant("gyb-debit"),
  pan: fc.stringMatching(/^[0-9]{16}$/),
  psn: fc.stringMatching(/^[0-9]{2}$/),
  balanceFen: fc.nat({ max: 100_000 }),
})

const unique = <T extends { orderId: string }>(rs: T[]) => [
  ...new Map(rs.map((r) => [r.orderId, r])).values(),
]

describe("batch files", () => {
  it("reads back every record the bank wrote", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }).map(unique), (records) => {
        const parsed = parseBatchFile(nativeCrypto, writeBatchFile(nativeCrypto, "gyb", "b-1", records))
        expect(parsed.ok).toBe(true)
        if (!parsed.ok) return
        expect(parsed.file.refused).toEqual([])
        expect(parsed.file.records.map(({ line: _line, ...r }) => r)).toEqual(records)
        expect(parsed.file.records.map((r) => r.line)).toEqual(records.map((_, i) => i + 2))
      }),
      { numRuns: 100 },
    )
  })

  it("refuses a file whose frame is broken, naming the line", () => {
    const good = writeBatchFile(nativeCrypto, "gyb", "b-1", [
      {
        orderId: "u1",
        userIndex: 1,
        seId: "5345000000000001",
        seProtocol: "SCP02",
        appId: "gyb-debit",
        pan: "6230520000000000001",
        psn: "01",
        balanceFen: 5,
      },
    ])
    const lines = good.trimEnd().split("\n")
    const digestFlipped = lines[2]!.replace(/.$/, (c) => (c === "0" ? "1" : "0"))
    const cases: Array<[string, number, RegExp]> = [
      ["", 1, /no header/],
      [good.replace("H|gyb", "X|gyb"), 1, /header/],
      [good.replace("H|gyb|b-1|1", "H|gyb|b-1|2"), 3, /count/],
      [[lines[0], lines[1], digestFlipped].join("\n"), 3, /digest/],
      [good.replace("|5\n", "|6\n"), 3, /digest/],
    ]
    for (const [text, line, reason] of cases) {
      const parsed = parseBatchFile(nativeCrypto, text)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) {
        expect(parsed.error.line).toBe(line)
        expect(parsed.error.reason).toMatch(reason)
      }
    }
  })

  it("refuses only the broken or repeated records of a well-framed file", () => {
    const ok = {
      orderId: "u1",
      userIndex: 1,
      seId: "5345000000000001",
      seProtocol: "SCP02" as const,
      appId: "gyb-debit",
      pan: "6230520000000000001",
      psn: "01",
      balanceFen: 5,
    }
    const text = writeBatchFile(nativeCrypto, "gyb", "b-2", [
      ok,
      { ...ok, orderId: "u2", seId: "53450000" },
      { ...ok, orderId: "u3", pan: "62305X" },
      ok,
    ])
    const parsed = parseBatchFile(nativeCrypto, text)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.file.records.map((r) => r.orderId)).toEqual(["u1"])
    expect(parsed.file.refused.map((e) => e.line)).toEqual([3, 4, 5])
    expect(parsed.file.refused[0]!.reason).toMatch(/SE id/)
    expect(parsed.file.refused[2]!.reason).toMatch(/repeated/)
  })

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const parsed = parseBatchFile(nativeCrypto, text)
        if (!parsed.ok) expect(parsed.error.line).toBeGreaterThanOrEqual(1)
      }),
      { numRuns: 500 },
    )
  })
})

describe("publishing applications", () => {
  const sps = new Set(["gzt-tsm", "gzt-transit", "ccb-sp-tsm", ...SEVEN_PLUS_N.map((a) => a.spId)])
  const catalogue = new Map([[GYB_DEBIT.appId, GYB_DEBIT]])

  it("accepts the transit card and the 7+N cloud apps, and refuses what it must", () => {
    expect(publicationRefusal(catalogue, GZT_TRANSIT, sps)).toBeNull()
    for (const app of SEVEN_PLUS_N) expect(publicationRefusal(catalogue, app, sps)).toBeNull()
    expect(publicationRefusal(catalogue, GYB_DEBIT, sps)).toMatch(/already published/)
    expect(publicationRefusal(catalogue, { ...GZT_TRANSIT, spId: "nobody" }, sps)).toMatch(/no contract/)
    expect(publicationRefusal(catalogue, { ...SEVEN_PLUS_N[0]!, appAid: "A000000333" }, sps)).toMatch(/cloud/)
    expect(publicationRefusal(catalogue, { ...GZT_TRANSIT, appAid: "A0" }, sps)).toMatch(/AIDs/)
    // Another SP may not take an instance AID already on the platform.
    expect(publicationRefusal(catalogue, { ...CCB_DEBIT, appId: "ccb-2" }, sps)).toMatch(/already used/)
  })
})
