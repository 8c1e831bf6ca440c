/**
 * Status words (SW1-SW2) that the twin's cards produce and its hosts interpret: every entry of
 * PROTOCOLS.md §1.5 (ISO/IEC 7816-4:2005 §5.1.3 tables 5 and 6, GlobalPlatform Card Specification
 * §11 command responses, as tabulated in pySim `pySim/global_platform/__init__.py` sw_table), plus
 * the families 61xx, 6Cxx and 63Cx, whose low byte carries a number.
 */

export const SW = {
  /** ISO 7816-4 §5.1.3: normal processing, no further qualification. */
  OK: 0x9000,
  /** ISO 7816-4 §5.1.3 (warning 62xx): selected file invalidated; GP: card/application locked. */
  SELECTED_FILE_INVALIDATED: 0x6283,
  /** GP Card Spec §11.4 (GET STATUS): more data available; ask again with P2 "get next". */
  MORE_DATA_GET_STATUS: 0x6310,
  /** ISO 7816-4 §5.1.3 (execution error 64xx): no information given. */
  NO_DIAGNOSIS: 0x6400,
  /** ISO 7816-4 §5.1.3 (65xx): memory failure. */
  MEMORY_FAILURE: 0x6581,
  /** ISO 7816-4 §5.1.3: wrong length (Lc or Le). */
  WRONG_LENGTH: 0x6700,
  /** ISO 7816-4 §5.1.3 (68xx): logical channel not supported. */
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  /** ISO 7816-4 §5.1.3 (68xx): secure messaging not supported. */
  SM_NOT_SUPPORTED: 0x6882,
  /** ISO 7816-4 §5.1.3 (69xx): security status not satisfied. */
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  /** ISO 7816-4 §5.1.3 (69xx): authentication method blocked. */
  AUTH_METHOD_BLOCKED: 0x6983,
  /** ISO 7816-4 §5.1.3 (69xx): reference data not usable (invalidated). */
  REFERENCE_DATA_INVALIDATED: 0x6984,
  /** ISO 7816-4 §5.1.3 (69xx): conditions of use not satisfied; PBOC: e-cash limit exceeded on load. */
  CONDITIONS_NOT_SATISFIED: 0x6985,
  /** ISO 7816-4 §5.1.3 (69xx): incorrect secure messaging data objects. */
  INCORRECT_SM_DATA: 0x6988,
  /** ISO 7816-4 §5.1.3 (6Axx): incorrect parameters in the command data field. */
  INCORRECT_DATA: 0x6a80,
  /** ISO 7816-4 §5.1.3 (6Axx): function not supported; EMV/PBOC: application blocked. */
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  /** ISO 7816-4 §5.1.3 (6Axx): file or application not found. */
  FILE_NOT_FOUND: 0x6a82,
  /** ISO 7816-4 §5.1.3 (6Axx): record not found (READ RECORD of an absent record). */
  RECORD_NOT_FOUND: 0x6a83,
  /** ISO 7816-4 §5.1.3 (6Axx): not enough memory space in the file. */
  NOT_ENOUGH_MEMORY: 0x6a84,
  /** ISO 7816-4 §5.1.3 (6Axx): incorrect parameters P1-P2. */
  INCORRECT_P1P2: 0x6a86,
  /** ISO 7816-4 §5.1.3 (6Axx): referenced data or reference data not found. */
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  /** ISO 7816-4 §5.1.3: wrong parameters P1-P2 (without further qualification). */
  WRONG_P1P2: 0x6b00,
  /** ISO 7816-4 §5.1.3: instruction code not supported or invalid. */
  INS_NOT_SUPPORTED: 0x6d00,
  /** ISO 7816-4 §5.1.3: class not supported. */
  CLA_NOT_SUPPORTED: 0x6e00,
  /** ISO 7816-4 §5.1.3: no precise diagnosis. */
  UNKNOWN_ERROR: 0x6f00,
  /** PROTOCOLS.md §1.5 (EMV/PBOC usage): card or application blocked. */
  CARD_BLOCKED_PBOC: 0x9302,
  /** GP Card Spec §11.8 (PUT KEY): algorithm not supported. */
  ALGORITHM_NOT_SUPPORTED: 0x9484,
  /** GP Card Spec §11.8 (PUT KEY): invalid key check value. */
  INVALID_KCV: 0x9485,
} as const

export type SwName = keyof typeof SW

const NAME_BY_SW: ReadonlyMap<number, SwName> = new Map(
  (Object.keys(SW) as SwName[]).map((name) => [SW[name], name] as const),
)

/** The named constant for an SW, if it is one of the table's. */
export const swName = (sw: number): SwName | undefined => NAME_BY_SW.get(sw)

/** Four upper-case hex digits, as SWs are written in the standards and in traces. */
export const swHex = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, "0")

/** Only 9000 means the command did what was asked with nothing more to fetch. */
export const isSuccess = (sw: number): boolean => sw === SW.OK

/** ISO 7816-4 §5.1.3: 9000 and 61xx are "normal processing". */
export const isNormalProcessing = (sw: number): boolean => sw === SW.OK || sw >> 8 === 0x61

/** ISO 7816-4 §5.1.3: 62xx and 63xx are warnings (the command ran; state may have changed). */
export const isWarning = (sw: number): boolean => sw >> 8 === 0x62 || sw >> 8 === 0x63

/** 61xx: xx more bytes wait for GET RESPONSE (ISO 7816-4 §5.1.3; T=0 transport, §5.3 of 7816-3). */
export const isMoreData = (sw: number): boolean => sw >> 8 === 0x61

/** 6Cxx: wrong Le; the exact length is xx (ISO 7816-4 §5.1.3). */
export const isWrongLe = (sw: number): boolean => sw >> 8 === 0x6c

/** 63Cx: verification failed, x further tries allowed (ISO 7816-4 §5.1.3). */
export const isVerifyFailed = (sw: number): boolean => (sw & 0xfff0) === 0x63c0

/** The byte count of a 61xx or 6Cxx (00 = 256, as a short Le), or undefined for other SWs. */
export const swAvailableLength = (sw: number): number | undefined => {
  if (!isMoreData(sw) && !isWrongLe(sw)) return undefined
  const xx = sw & 0xff
  return xx === 0 ? 256 : xx
}

/** The retry counter of a 63Cx, or undefined for other SWs. */
export const retriesLeft = (sw: number): number | undefined => (isVerifyFailed(sw) ? sw & 0x0f : undefined)

export const moreDataSw = (length: number): number => 0x6100 | (length >= 256 ? 0 : length)
export const wrongLeSw = (length: number): number => 0x6c00 | (length >= 256 ? 0 : length)
export const verifyFailedSw = (retries: number): number => 0x63c0 | Math.min(Math.max(retries, 0), 15)

const DESCRIPTIONS: Readonly<Record<SwName, string>> = {
  OK: "normal processing (ISO 7816-4 §5.1.3)",
  SELECTED_FILE_INVALIDATED: "selected file invalidated / card or application locked (ISO 7816-4 §5.1.3; GP)",
  MORE_DATA_GET_STATUS: "more data available (GP Card Spec §11.4 GET STATUS)",
  NO_DIAGNOSIS: "execution error, no diagnosis, state of non-volatile memory changed (ISO 7816-4 §5.1.3)",
  MEMORY_FAILURE: "memory failure (ISO 7816-4 §5.1.3)",
  WRONG_LENGTH: "wrong length (ISO 7816-4 §5.1.3)",
  LOGICAL_CHANNEL_NOT_SUPPORTED: "logical channel not supported (ISO 7816-4 §5.1.3)",
  SM_NOT_SUPPORTED: "secure messaging not supported (ISO 7816-4 §5.1.3)",
  SECURITY_STATUS_NOT_SATISFIED: "security status not satisfied (ISO 7816-4 §5.1.3)",
  AUTH_METHOD_BLOCKED: "authentication method blocked (ISO 7816-4 §5.1.3)",
  REFERENCE_DATA_INVALIDATED: "reference data not usable / invalidated (ISO 7816-4 §5.1.3)",
  CONDITIONS_NOT_SATISFIED: "conditions of use not satisfied (ISO 7816-4 §5.1.3)",
  INCORRECT_SM_DATA: "incorrect secure messaging data objects (ISO 7816-4 §5.1.3)",
  INCORRECT_DATA: "incorrect parameters in the data field (ISO 7816-4 §5.1.3)",
  FUNCTION_NOT_SUPPORTED: "function not supported (ISO 7816-4 §5.1.3; EMV/PBOC: application blocked)",
  FILE_NOT_FOUND: "file or application not found (ISO 7816-4 §5.1.3)",
  RECORD_NOT_FOUND: "record not found (ISO 7816-4 §5.1.3)",
  NOT_ENOUGH_MEMORY: "not enough memory space (ISO 7816-4 §5.1.3)",
  INCORRECT_P1P2: "incorrect parameters P1-P2 (ISO 7816-4 §5.1.3)",
  REFERENCED_DATA_NOT_FOUND: "referenced data not found (ISO 7816-4 §5.1.3)",
  WRONG_P1P2: "wrong parameters P1-P2 (ISO 7816-4 §5.1.3)",
  INS_NOT_SUPPORTED: "instruction not supported or invalid (ISO 7816-4 §5.1.3)",
  CLA_NOT_SUPPORTED: "class not supported (ISO 7816-4 §5.1.3)",
  UNKNOWN_ERROR: "no precise diagnosis (ISO 7816-4 §5.1.3)",
  CARD_BLOCKED_PBOC: "card or application blocked (EMV/PBOC usage, PROTOCOLS.md §1.5)",
  ALGORITHM_NOT_SUPPORTED: "algorithm not supported (GP Card Spec §11.8 PUT KEY)",
  INVALID_KCV: "invalid key check value (GP Card Spec §11.8 PUT KEY)",
}

/** A one-line description with the SW in hex, its name and the spec reference. */
export const describeSw = (sw: number): string => {
  const name = swName(sw)
  if (name !== undefined) return `${swHex(sw)} ${name}: ${DESCRIPTIONS[name]}`
  const n = sw & 0xff
  if (isMoreData(sw))
    return `${swHex(sw)}: ${n === 0 ? 256 : n} response bytes still available (ISO 7816-4 §5.1.3)`
  if (isWrongLe(sw)) return `${swHex(sw)}: wrong Le, exact length is ${n === 0 ? 256 : n} (ISO 7816-4 §5.1.3)`
  if (isVerifyFailed(sw))
    return `${swHex(sw)}: verification failed, ${sw & 0x0f} tries left (ISO 7816-4 §5.1.3)`
  if (isWarning(sw)) return `${swHex(sw)}: warning (ISO 7816-4 §5.1.3)`
  return `${swHex(sw)}: unknown status word`
}
