/**
 * What a checker of one vector kind is: a function of the vector's fields and a crypto layer that
 * compares every output the kind defines (vectors/README.md) and names each mismatch.
 */
import { toHex } from "../../model/bytes/hex.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import type { VectorFields } from "./vector-fields.ts"

export interface KindChecker {
  /** Whether the kind involves crypto; layer-free kinds (ber_tlv) run once, not per layer. */
  readonly usesCrypto: boolean
  readonly check: (fields: VectorFields, crypto: Crypto) => ReadonlyArray<string>
}

/** Collects mismatches between expected and computed outputs. */
export class Mismatches {
  readonly list: string[] = []

  bytes(what: string, expected: Uint8Array, actual: Uint8Array | null | undefined): void {
    if (actual === null || actual === undefined) {
      this.list.push(`${what}: expected ${toHex(expected)}, got nothing`)
    } else if (toHex(actual) !== toHex(expected)) {
      this.list.push(`${what}: expected ${toHex(expected)}, got ${toHex(actual)}`)
    }
  }

  value(what: string, expected: unknown, actual: unknown): void {
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      this.list.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
    }
  }
}
