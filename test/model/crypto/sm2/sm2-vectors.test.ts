// Proves both SM2 layers reproduce every published sm2_sign and sm2_encrypt vector: ZA, (r, s) for a given k, the verify outcome, the ciphertext for a given k, and decryption.
import { describe, expect, it } from "vitest"
import { toHex } from "../../../../model/bytes/hex.ts"
import { SM2P256V1, sameCurve } from "../../../../model/crypto/sm2/curve.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import { bigintField, bytesField, curveField, publicKeyField, vectorsOf } from "./sm2-vector-files.ts"

const layers = [
  ["reference", referenceSm2],
  ["native", nativeSm2],
] as const

describe.each(layers)("%s SM2 on sm2_sign vectors", (_, sm2) => {
  it.each(vectorsOf("sm2_sign").map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const curve = curveField(v)
    const userId = bytesField(v, "user_id_hex")
    const message = bytesField(v, "message_hex")
    const publicKey = publicKeyField(v)
    if (v.za_hex !== undefined) expect(toHex(sm2.za(curve, userId, publicKey))).toBe(v.za_hex)
    if (v.k_hex !== undefined && v.private_key_hex !== undefined) {
      const d = bigintField(v, "private_key_hex")
      expect(sm2.publicKeyOf(curve, d)).toEqual(publicKey)
      const signature = sm2.sign(curve, d, userId, message, bigintField(v, "k_hex"))
      expect(signature).toEqual({ r: bigintField(v, "r_hex"), s: bigintField(v, "s_hex") })
    }
    const signature = { r: bigintField(v, "r_hex"), s: bigintField(v, "s_hex") }
    expect(sm2.verify(curve, publicKey, userId, message, signature)).toBe(v.expected_verify)
  })
})

describe.each(layers)("%s SM2 on sm2_encrypt vectors", (_, sm2) => {
  it.each(vectorsOf("sm2_encrypt").map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const curve = curveField(v)
    const d = bigintField(v, "private_key_hex")
    const publicKey = publicKeyField(v)
    const plaintext = bytesField(v, "plaintext_hex")
    const ciphertext = bytesField(v, "ciphertext_hex")
    expect(sm2.publicKeyOf(curve, d)).toEqual(publicKey)
    if (v.k_hex !== undefined) {
      const made = sm2.encrypt(curve, publicKey, plaintext, bigintField(v, "k_hex"))
      expect(made === null ? null : toHex(made)).toBe(v.ciphertext_hex)
    }
    const opened = sm2.decrypt(curve, d, ciphertext)
    expect(opened === null ? null : toHex(opened)).toBe(v.plaintext_hex)
  })
})

describe("the vectors' curve", () => {
  it("is the GB/T 32918.5 recommended curve that SM2P256V1 spells out", () => {
    for (const v of [...vectorsOf("sm2_sign"), ...vectorsOf("sm2_encrypt")]) {
      expect(sameCurve(curveField(v), SM2P256V1)).toBe(true)
    }
  })
})
