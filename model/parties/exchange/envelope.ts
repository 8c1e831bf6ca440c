/**
 * Signed envelopes between institutions (DESIGN.md §4: messages carry SM2 signatures where the
 * real system would, TSM ↔ MTPS ↔ TSM). The signature covers a canonical encoding of every field
 * but itself — sender, recipient, order id, simulated time, nonce and body — as UTF-8 JSON with
 * keys sorted at every depth, signed SM3withSM2 with the GM/T 0009 default ID. Every hop opens
 * what it receives with a gate that checks, in order: addressed to me, sender known and not
 * revoked, signature, time window, nonce not seen (replay). Rejections are values.
 *
 * Local stand-in until the shared envelope (model/parties/messages*) lands.
 */
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID, type Sm2Point } from "../../crypto/sm2/sm2.ts"
import type { PartyMessage } from "./party-messages.ts"

export interface Envelope {
  readonly from: string
  readonly to: string
  readonly orderId: string
  readonly timeUs: number
  readonly nonce: string
  readonly body: PartyMessage
  /** r ‖ s, 64 bytes as hex. */
  readonly signature: string
}

export type Rejection =
  | "misaddressed"
  | "unknown-sender"
  | "revoked"
  | "bad-signature"
  | "out-of-window"
  | "replay"

/** Certificate and revocation look-ups, answered from the MTPS CA's records. */
export interface KeyDirectory {
  readonly publicKeyOf: (institutionId: string) => Sm2Point | null
  readonly isRevoked: (institutionId: string) => boolean
}

/** Signing: the institution's key and a source of ephemeral scalars k from its seeded stream. */
export interface Signer {
  readonly id: string
  readonly privateKey: bigint
  readonly nextK: () => bigint
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )

const encoder = new TextEncoder()

export const signedBytes = (e: Omit<Envelope, "signature">): Uint8Array =>
  encoder.encode(
    canonical({ from: e.from, to: e.to, orderId: e.orderId, timeUs: e.timeUs, nonce: e.nonce, body: e.body }),
  )

const hex64 = (v: bigint): string => v.toString(16).toUpperCase().padStart(64, "0")

/** The SM2 signing attempts before giving up: a null signature (r = 0 etc.) has probability ~2^-256. */
const SIGN_ATTEMPTS_MAX = 8

export const seal = (
  crypto: Crypto,
  signer: Signer,
  fields: Omit<Envelope, "signature" | "from">,
): Envelope => {
  const unsigned = { ...fields, from: signer.id }
  const message = signedBytes(unsigned)
  for (let i = 0; i < SIGN_ATTEMPTS_MAX; i++) {
    const s = crypto.sm2.sign(SM2P256V1, signer.privateKey, SM2_DEFAULT_USER_ID, message, signer.nextK())
    if (s !== null) return { ...unsigned, signature: hex64(s.r) + hex64(s.s) }
  }
  throw new Error(`${signer.id}: no SM2 signature after ${SIGN_ATTEMPTS_MAX} draws of k`)
}

export interface GateOptions {
  readonly crypto: Crypto
  readonly self: string
  readonly directory: KeyDirectory
  /** A message older or newer than this (by its own time) is refused. */
  readonly windowUs: number
  /** Nonces remembered at most; the oldest are forgotten first, once out of the window. */
  readonly noncesMax: number
}

/** One institution's inbound check: verify, window, replay. */
export class EnvelopeGate {
  private readonly seen = new Map<string, number>()

  constructor(private readonly options: GateOptions) {}

  open(e: Envelope, nowUs: number): Result<Envelope, Rejection> {
    const o = this.options
    if (e.to !== o.self) return err("misaddressed")
    const key = o.directory.publicKeyOf(e.from)
    if (key === null) return err("unknown-sender")
    if (o.directory.isRevoked(e.from)) return err("revoked")
    if (!/^[0-9A-F]{128}$/.test(e.signature)) return err("bad-signature")
    const signature = { r: BigInt(`0x${e.signature.slice(0, 64)}`), s: BigInt(`0x${e.signature.slice(64)}`) }
    if (!o.crypto.sm2.verify(SM2P256V1, key, SM2_DEFAULT_USER_ID, signedBytes(e), signature))
      return err("bad-signature")
    if (Math.abs(nowUs - e.timeUs) > o.windowUs) return err("out-of-window")
    const id = `${e.from}/${e.nonce}`
    if (this.seen.has(id)) return err("replay")
    this.remember(id, e.timeUs, nowUs)
    return ok(e)
  }

  private remember(id: string, timeUs: number, nowUs: number): void {
    this.seen.set(id, timeUs)
    if (this.seen.size <= this.options.noncesMax) return
    // Maps iterate in insertion order, so the first entries are the oldest; a nonce outside the
    // window can be forgotten because the window check refuses its message anyway.
    for (const [k, t] of this.seen) {
      if (this.seen.size <= this.options.noncesMax) break
      if (nowUs - t <= this.options.windowUs)
        throw new Error(`${this.options.self}: nonce table full within the window`)
      this.seen.delete(k)
    }
  }
}
