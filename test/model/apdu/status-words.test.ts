// Proves the status-word table holds every SW of PROTOCOLS.md §1.5 with distinct values, and that
// the 61xx / 6Cxx / 63Cx helpers and describeSw read the low byte as ISO 7816-4 §5.1.3 defines.
import { describe, expect, it } from "vitest"
import {
  describeSw,
  isMoreData,
  isNormalProcessing,
  isSuccess,
  isVerifyFailed,
  isWarning,
  isWrongLe,
  moreDataSw,
  retriesLeft,
  SW,
  swAvailableLength,
  swName,
  verifyFailedSw,
  wrongLeSw,
} from "../../../model/apdu/status-words.ts"

/** PROTOCOLS.md §1.5, transcribed: every fixed SW listed there. */
const PROTOCOLS_1_5 = [
  0x9000, 0x6283, 0x6310, 0x6400, 0x6581, 0x6700, 0x6881, 0x6882, 0x6982, 0x6983, 0x6984, 0x6985, 0x6988,
  0x6a80, 0x6a81, 0x6a82, 0x6a84, 0x6a86, 0x6a88, 0x6d00, 0x6e00, 0x9484, 0x9485, 0x9302,
]

describe("status words", () => {
  it("names every SW of PROTOCOLS.md §1.5", () => {
    const missing = PROTOCOLS_1_5.filter((sw) => swName(sw) === undefined).map((sw) => sw.toString(16))
    expect(missing).toEqual([])
  })

  it("gives each name a distinct value", () => {
    const values = Object.values(SW)
    expect(new Set(values).size).toBe(values.length)
  })

  it("keeps the names the other layers use", () => {
    expect(SW).toMatchObject({
      OK: 0x9000,
      WRONG_LENGTH: 0x6700,
      SECURITY_STATUS_NOT_SATISFIED: 0x6982,
      INCORRECT_SM_DATA: 0x6988,
      CONDITIONS_NOT_SATISFIED: 0x6985,
      FILE_NOT_FOUND: 0x6a82,
      REFERENCED_DATA_NOT_FOUND: 0x6a88,
      INCORRECT_P1P2: 0x6a86,
      INS_NOT_SUPPORTED: 0x6d00,
      CLA_NOT_SUPPORTED: 0x6e00,
      INCORRECT_DATA: 0x6a80,
      FUNCTION_NOT_SUPPORTED: 0x6a81,
      NOT_ENOUGH_MEMORY: 0x6a84,
      MORE_DATA_GET_STATUS: 0x6310,
      SELECTED_FILE_INVALIDATED: 0x6283,
      MEMORY_FAILURE: 0x6581,
      AUTH_METHOD_BLOCKED: 0x6983,
      REFERENCE_DATA_INVALIDATED: 0x6984,
      LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
      SM_NOT_SUPPORTED: 0x6882,
      NO_DIAGNOSIS: 0x6400,
      INVALID_KCV: 0x9485,
      ALGORITHM_NOT_SUPPORTED: 0x9484,
    })
  })

  it("classifies success, normal processing and warnings", () => {
    expect([0x9000, 0x6110, 0x6283].map(isSuccess)).toEqual([true, false, false])
    expect([0x9000, 0x6110, 0x6283].map(isNormalProcessing)).toEqual([true, true, false])
    expect([0x6283, 0x63c2, 0x6310, 0x6982].map(isWarning)).toEqual([true, true, true, false])
  })

  it("reads the 61xx, 6Cxx and 63Cx families", () => {
    expect([isMoreData(0x6120), swAvailableLength(0x6120), swAvailableLength(0x6100)]).toEqual([
      true,
      0x20,
      256,
    ])
    expect([isWrongLe(0x6c08), swAvailableLength(0x6c08), swAvailableLength(0x9000)]).toEqual([
      true,
      8,
      undefined,
    ])
    expect([isVerifyFailed(0x63c2), retriesLeft(0x63c2), retriesLeft(0x6310)]).toEqual([true, 2, undefined])
    expect([moreDataSw(0x20), moreDataSw(256), wrongLeSw(8), verifyFailedSw(3)]).toEqual([
      0x6120, 0x6100, 0x6c08, 0x63c3,
    ])
  })

  it("describes an SW with its name and spec reference", () => {
    expect(describeSw(0x6982)).toBe(
      "6982 SECURITY_STATUS_NOT_SATISFIED: security status not satisfied (ISO 7816-4 §5.1.3)",
    )
    expect(describeSw(0x9485)).toContain("GP Card Spec §11.8")
    expect(describeSw(0x6110)).toBe("6110: 16 response bytes still available (ISO 7816-4 §5.1.3)")
    expect(describeSw(0x6c00)).toContain("exact length is 256")
    expect(describeSw(0x63c1)).toContain("1 tries left")
    expect(describeSw(0x1234)).toBe("1234: unknown status word")
  })
})
