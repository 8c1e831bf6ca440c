// Proves the `card` commands' flag parsers accept what the README shows and name the flag and the
// expectation for everything else.
import { describe, expect, it } from "vitest"
import {
  parseAmountFen,
  parseContent,
  parseHostPort,
  parseKeyChoice,
  parsePowerCut,
  parseProfile,
  parseSeed,
} from "../../../app/card/card-flags.ts"

const value = <A>(p: { ok: true; value: A } | { ok: false; error: string }) => (p.ok ? p.value : p.error)

describe("card flags", () => {
  it("turns yuan into integer fen", () => {
    expect(value(parseAmountFen("300"))).toBe(30_000)
    expect(value(parseAmountFen("12.3"))).toBe(1_230)
    expect(value(parseAmountFen("0.01"))).toBe(1)
    for (const bad of ["-3", "0", "0.00", "1.234", "abc", "", "1e3"])
      expect(value(parseAmountFen(bad))).toMatch(/^--amount must be yuan/)
  })

  it("reads HOST:PORT and N:W", () => {
    expect(value(parseHostPort("--vpcd", "127.0.0.1:35963"))).toEqual({ host: "127.0.0.1", port: 35963 })
    expect(value(parseHostPort("--vpcd", "[::1]:0"))).toEqual({ host: "::1", port: 0 })
    for (const bad of ["127.0.0.1", ":80", "h:65536", "h:x"])
      expect(value(parseHostPort("--vpcd", bad))).toMatch(/^--vpcd must be HOST:PORT/)
    expect(value(parsePowerCut("5:2"))).toEqual({ storeData: 5, afterWrite: 2 })
    for (const bad of ["0:1", "5", "5:-1", "a:b"])
      expect(value(parsePowerCut(bad))).toMatch(/^--power-cut must be N:W/)
  })

  it("names the choices for profile, keys and content", () => {
    expect(value(parseProfile("eSE"))).toMatchObject({ name: "eSE" })
    expect(value(parseProfile("UICC"))).toBe('--profile must be one of NFC-SIM, NFC-SD, eSE, not "UICC"')
    expect(value(parseKeyChoice("test"))).toBe("test")
    expect(value(parseKeyChoice("gp"))).toBe('--keys must be one of test, seed, not "gp"')
    expect(value(parseContent("empty"))).toBe("empty")
    expect(value(parseContent("full"))).toBe('--content must be one of empty, pboc, not "full"')
    expect(value(parseSeed(-1))).toBe("--seed must be an integer ≥ 0, not -1")
  })
})
