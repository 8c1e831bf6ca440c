// Proves the SM2 chain check on the published sm2_x509_chain vectors through both layers, and that a certificate with any flipped bit in its signature or TBS fails with a named reason.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hex } from "../../../../model/bytes/hex.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import { SM2_DEFAULT_USER_ID } from "../../../../model/crypto/sm2/sm2.ts"
import { parseCertificate } from "../../../../model/crypto/x509/certificate.ts"
import { pemToDer } from "../../../../model/crypto/x509/pem.ts"
import { verifyCertificate, verifyChain } from "../../../../model/crypto/x509/verify-chain.ts"
import { vectorsOf } from "../sm2/sm2-vector-files.ts"

const layers = [
  ["reference", referenceSm2],
  ["native", nativeSm2],
] as const
const vectors = vectorsOf("sm2_x509_chain")
const first = vectors[0]!
const caPem = first.ca_pem as string
const leafPem = first.leaf_pem as string

const toPem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...der))}\n-----END CERTIFICATE-----\n`
const derOf = (pem: string): Uint8Array => {
  const der = pemToDer(pem)
  if (!der.ok) throw new Error(der.error.message)
  return der.value
}

describe.each(layers)("verifyChain with the %s SM2", (_, sm2) => {
  it.each(vectors.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const result = verifyChain(sm2, v.ca_pem as string, v.leaf_pem as string, hex(v.user_id_hex as string))
    expect(result.ok).toBe(v.expected_verify)
  })

  it("reports why: swapped roles, and the leaf checked against itself", () => {
    const swapped = verifyChain(sm2, leafPem, caPem, SM2_DEFAULT_USER_ID)
    expect(swapped.ok ? "ok" : swapped.error.reason).toBe("issuer-mismatch")
    const unparsable = verifyChain(sm2, caPem, "garbage", SM2_DEFAULT_USER_ID)
    expect(unparsable.ok ? "ok" : [unparsable.error.reason, unparsable.error.parseError?.reason]).toEqual([
      "leaf-unparsable",
      "bad-pem",
    ])
  })
})

describe("a flipped bit in the leaf", () => {
  const leafDer = derOf(leafPem)
  const leafLength = leafDer.length
  // The signature BIT STRING starts at 297 (openssl asn1parse); its r and s follow the headers.
  const signatureStart = 297

  it("fails the chain with a reason, in the signature value or in the TBSCertificate", () => {
    fc.assert(
      fc.property(fc.nat({ max: leafLength * 8 - 1 }), (bit) => {
        const bytes = leafDer.slice()
        bytes[bit >> 3]! ^= 1 << (bit & 7)
        const result = verifyChain(nativeSm2, caPem, toPem(bytes), SM2_DEFAULT_USER_ID)
        expect(result.ok).toBe(false)
        if (!result.ok) {
          expect(["leaf-unparsable", "issuer-mismatch", "leaf-signature-invalid"]).toContain(
            result.error.reason,
          )
        }
      }),
      { numRuns: 500 },
    )
  })

  it("fails in both layers when the bit is in r or s", () => {
    const ca = parseCertificate(caPem)
    if (!ca.ok) throw new Error("vector CA does not parse")
    // r and s INTEGER values: the last 64+ bytes; flipping one keeps the DER well-formed.
    const lastBytes = leafLength - signatureStart - 8
    fc.assert(
      fc.property(fc.nat({ max: lastBytes * 8 - 1 }), (bit) => {
        const bytes = leafDer.slice()
        const at = leafLength - 1 - (bit >> 3)
        bytes[at]! ^= 1 << (bit & 7)
        const leaf = parseCertificate(bytes)
        if (!leaf.ok) return // a flip in a length or tag byte: refused at parse time
        for (const [, sm2] of layers) {
          expect(verifyCertificate(sm2, leaf.value, ca.value.subjectPublicKey, SM2_DEFAULT_USER_ID)).toBe(
            false,
          )
        }
        const result = verifyChain(nativeSm2, caPem, toPem(bytes), SM2_DEFAULT_USER_ID)
        expect(result.ok ? "ok" : result.error.reason).toBe("leaf-signature-invalid")
      }),
      { numRuns: 150 },
    )
  })
})
