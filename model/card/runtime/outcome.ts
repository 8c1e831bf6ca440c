/**
 * The one place where the card runtime and the card manager turn outcomes into status words
 * (STYLE.md, after jCardSim: "status words are produced in one dispatch place"). Handlers return a
 * `Reply`: response data with `sw` 9000 or a warning, or a named failure mapped here.
 */
import type { ResponseApdu } from "../../apdu/response.ts"
import { SW } from "../../apdu/status-words.ts"

export type Failure =
  | "wrong-length"
  | "cla-not-supported"
  | "ins-not-supported"
  | "incorrect-p1p2"
  | "incorrect-data"
  | "not-found"
  | "referenced-data-not-found"
  | "conditions-not-satisfied"
  | "security-status"
  | "sm-data"
  | "channel-not-supported"
  | "chaining-not-supported"
  | "no-channel-available"
  | "not-enough-memory"
  | "invalid-kcv"
  | "algorithm-not-supported"
  | "function-not-supported"
  | "power-lost"

const FAILURE_SW: Readonly<Record<Failure, number>> = {
  "wrong-length": SW.WRONG_LENGTH,
  "cla-not-supported": SW.CLA_NOT_SUPPORTED,
  "ins-not-supported": SW.INS_NOT_SUPPORTED,
  "incorrect-p1p2": SW.INCORRECT_P1P2,
  "incorrect-data": SW.INCORRECT_DATA,
  "not-found": SW.FILE_NOT_FOUND,
  "referenced-data-not-found": SW.REFERENCED_DATA_NOT_FOUND,
  "conditions-not-satisfied": SW.CONDITIONS_NOT_SATISFIED,
  "security-status": SW.SECURITY_STATUS_NOT_SATISFIED,
  "sm-data": SW.INCORRECT_SM_DATA,
  "channel-not-supported": SW.LOGICAL_CHANNEL_NOT_SUPPORTED,
  "chaining-not-supported": 0x6884,
  "no-channel-available": SW.FUNCTION_NOT_SUPPORTED,
  "not-enough-memory": SW.NOT_ENOUGH_MEMORY,
  "invalid-kcv": SW.INVALID_KCV,
  "algorithm-not-supported": SW.ALGORITHM_NOT_SUPPORTED,
  "function-not-supported": SW.FUNCTION_NOT_SUPPORTED,
  "power-lost": SW.UNKNOWN_ERROR,
}

export const swOf = (failure: Failure): number => FAILURE_SW[failure]

export type Reply = ResponseApdu

const EMPTY = new Uint8Array(0)

export const fail = (failure: Failure): Reply => ({ data: EMPTY, sw: FAILURE_SW[failure] })

export const done = (data: Uint8Array = EMPTY, sw: number = SW.OK): Reply => ({ data, sw })
