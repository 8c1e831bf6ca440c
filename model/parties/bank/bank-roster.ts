/**
 * The banks of the twin (DESIGN.md §1): the three local banks that issue through the 贵州通 TSM and
 * national banks that issue through their own SP-TSMs. BINs are the twin's own, inside UnionPay's
 * 62 range, and are not the banks' real BINs; the codes are the twin's party ids.
 *
 * Each bank names the TSM its cards are issued through (`issuanceTsm`), an institution of the
 * pilot's PKI (model/host/pki/pilot-roster.ts): the local banks through the 贵州通 TSM, the
 * national banks through their own SP-TSMs — the same `ccb-sp-tsm` / `icbc-sp-tsm` institutions
 * the issuance world runs as PlatformTsm parties with route "ota" (model/world/issuance/world.ts),
 * so the money world links to them instead of modelling a second SP-TSM.
 */

export type BankScope = "local" | "national"

export interface BankDeclaration {
  readonly id: string
  readonly name: string
  readonly scope: BankScope
  /** Six-digit twin BIN; PANs are BIN ‖ 9-digit serial ‖ Luhn digit (16 digits). */
  readonly bin: string
  /** Opening reserve at the central bank in fen; the scenario's assumption, not a published figure. */
  readonly reserveFen: number
  /** The TSM institution that issues this bank's cards over the air (a pilot PKI id). */
  readonly issuanceTsm: string
}

const YUAN = 100
const RESERVE_FEN = 10_000_000_000 * YUAN

export const PILOT_BANKS: ReadonlyArray<BankDeclaration> = [
  {
    id: "GYB",
    name: "贵阳银行",
    scope: "local",
    bin: "623052",
    reserveFen: RESERVE_FEN,
    issuanceTsm: "gzt-tsm",
  },
  {
    id: "GZB",
    name: "贵州银行",
    scope: "local",
    bin: "623053",
    reserveFen: RESERVE_FEN,
    issuanceTsm: "gzt-tsm",
  },
  {
    id: "GYRCB",
    name: "贵阳农商银行",
    scope: "local",
    bin: "623054",
    reserveFen: RESERVE_FEN,
    issuanceTsm: "gzt-tsm",
  },
  {
    id: "CCB",
    name: "建设银行",
    scope: "national",
    bin: "623055",
    reserveFen: RESERVE_FEN,
    issuanceTsm: "ccb-sp-tsm",
  },
  {
    id: "ICBC",
    name: "工商银行",
    scope: "national",
    bin: "623056",
    reserveFen: RESERVE_FEN,
    issuanceTsm: "icbc-sp-tsm",
  },
]

/** The Luhn check digit of a digit string (ISO/IEC 7812-1 Annex B). */
export const luhnDigit = (digits: string): number => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

export const panOf = (bin: string, serial: number): string => {
  const body = `${bin}${String(serial).padStart(9, "0")}`
  return `${body}${luhnDigit(body)}`
}
