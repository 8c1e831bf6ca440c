/**
 * The issuer host's cryptographic side of an online authorisation (EMV 4.3 Book 2 §8.2, §8.2.2):
 * recompute the ARQC from the transaction data the terminal forwarded, and answer with an ARC and
 * an ARPC the card can check. The ARPC is method 1 keyed with the AC session key, the choice the
 * PBOC applet documents (pboc-online.ts); method 2 is offered for other schemes and the vectors.
 */
import { equalsConstantTime } from "../../bytes/bytes.ts"
import type { AcPadding, AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import { cryptogramInput, cvrOfIad, type TerminalData } from "../../card/applets/pboc/cryptogram-input.ts"
import type { Crypto } from "../../crypto/crypto.ts"

/** ARC "00" (approved) and "05" (do not honour), an2 in ASCII (ISO 8583 field 39). */
export const ARC_APPROVED = new Uint8Array([0x30, 0x30])
export const ARC_DECLINED = new Uint8Array([0x30, 0x35])

/** The cryptogram-bearing data of an authorisation request (ISO 8583 field 55 in real life). */
export interface ArqcRequest {
  readonly terminal: TerminalData
  readonly aip: Uint8Array
  readonly atc: number
  readonly iad: Uint8Array
  readonly arqc: Uint8Array
}

export type ArqcCheck =
  | { readonly ok: true; readonly sessionKey: Uint8Array }
  | { readonly ok: false; readonly reason: "bad-iad" | "bad-arqc" }

/**
 * Session key (the profile's method, from the ATC) and ARQC over an assembled input: the
 * vector-level operation (Book 2 §8.1.2; PBOC process key or Book 2 A1.3.1).
 */
export const computeArqc = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  mkAc: Uint8Array,
  atc: number,
  input: Uint8Array,
  padding: AcPadding,
): { readonly sessionKey: Uint8Array; readonly arqc: Uint8Array } => {
  const sessionKey = profile.acSessionKey(crypto, mkAc, atc)
  return { sessionKey, arqc: profile.applicationCryptogram(crypto, sessionKey, input, padding) }
}

/** Recomputes the card's ARQC from the request as pboc-cryptogram.ts assembles it. */
export const verifyArqc = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  mkAc: Uint8Array,
  request: ArqcRequest,
): ArqcCheck => {
  const cvr = cvrOfIad(request.iad)
  if (cvr === undefined || request.iad[2] !== profile.cvn) return { ok: false, reason: "bad-iad" }
  const input = cryptogramInput(request.terminal, request.aip, request.atc, cvr)
  const { sessionKey, arqc } = computeArqc(crypto, profile, mkAc, request.atc, input, 2)
  return equalsConstantTime(arqc, request.arqc) ? { ok: true, sessionKey } : { ok: false, reason: "bad-arqc" }
}

export const arpcMethod1 = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  key: Uint8Array,
  arqc: Uint8Array,
  arc: Uint8Array,
): Uint8Array => profile.arpcMethod1(crypto, key, arqc, arc)

export const arpcMethod2 = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  key: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  proprietary: Uint8Array,
): Uint8Array => profile.arpcMethod2(crypto, key, arqc, csu, proprietary)

/** The issuer's answer: ARC and, when the ARQC was genuine, the ARPC for EXTERNAL AUTHENTICATE. */
export interface AuthorisationResponse {
  readonly approved: boolean
  readonly arc: Uint8Array
  /** ARPC ‖ ARC, the EXTERNAL AUTHENTICATE data; null when the ARQC was not genuine. */
  readonly issuerAuthenticationData: Uint8Array | null
}

/**
 * Verifies the ARQC and answers approve/decline; `approve` is the ledger's decision, taken only
 * for a genuine cryptogram. A false ARQC gets a decline without an ARPC.
 */
export const respondToArqc = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  mkAc: Uint8Array,
  request: ArqcRequest,
  approve: boolean,
): AuthorisationResponse => {
  const check = verifyArqc(crypto, profile, mkAc, request)
  if (!check.ok) return { approved: false, arc: ARC_DECLINED, issuerAuthenticationData: null }
  const arc = approve ? ARC_APPROVED : ARC_DECLINED
  const arpc = profile.arpcMethod1(crypto, check.sessionKey, request.arqc, arc)
  const data = new Uint8Array(10)
  data.set(arpc)
  data.set(arc, 8)
  return { approved: approve, arc, issuerAuthenticationData: data }
}
