// Proves the remembered ZA (za.ts rememberedZa) answers exactly computeZa: for the same key object under another ID, after the object's coordinates change, and on another key; and that a signature made with it verifies in the reference layer, whose ZA is never remembered.
import { describe, expect, it } from "vitest"
import { sm3Ts } from "../../../../model/crypto/fast-sm3.ts"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import { SM2_DEFAULT_USER_ID } from "../../../../model/crypto/sm2/sm2.ts"
import { computeZa, rememberedZa } from "../../../../model/crypto/sm2/za.ts"

const curve = SM2P256V1

describe("rememberedZa", () => {
  it("equals computeZa for every (ID, key) asked, in any order", () => {
    const a = nativeSm2.publicKeyOf(curve, 12345n)
    const b = nativeSm2.publicKeyOf(curve, 67890n)
    const ids = [SM2_DEFAULT_USER_ID, Uint8Array.of(1, 2, 3), new Uint8Array(0), SM2_DEFAULT_USER_ID.slice()]
    for (let round = 0; round < 2; round++)
      for (const key of [a, b])
        for (const id of ids)
          expect(rememberedZa(sm3Ts, curve, id, key)).toEqual(computeZa(sm3Ts, curve, id, key))
    expect(rememberedZa(sm3Ts, curve, ids[0]!, a)).not.toEqual(rememberedZa(sm3Ts, curve, ids[1]!, a))
  })

  it("recomputes when the point object's coordinates change or the caller's ID bytes change", () => {
    const key = { ...nativeSm2.publicKeyOf(curve, 424242n) }
    const other = nativeSm2.publicKeyOf(curve, 434343n)
    const id = Uint8Array.of(7, 7, 7)
    const first = rememberedZa(sm3Ts, curve, id, key)
    Object.assign(key, { x: other.x, y: other.y })
    expect(rememberedZa(sm3Ts, curve, id, key)).toEqual(computeZa(sm3Ts, curve, id, other))
    expect(rememberedZa(sm3Ts, curve, id, key)).not.toEqual(first)
    id[0] = 8
    expect(rememberedZa(sm3Ts, curve, id, key)).toEqual(
      computeZa(sm3Ts, curve, Uint8Array.of(8, 7, 7), other),
    )
  })

  it("gives signatures the reference layer verifies, and refuses one under another ID", () => {
    const d = 0xabcdef0123n
    const message = Uint8Array.of(0x54, 0x54, 0x45)
    for (let i = 0; i < 3; i++) {
      const signature = nativeSm2.sign(curve, d, SM2_DEFAULT_USER_ID, message, 1000n + BigInt(i))!
      const key = nativeSm2.publicKeyOf(curve, d)
      expect(referenceSm2.verify(curve, key, SM2_DEFAULT_USER_ID, message, signature)).toBe(true)
      expect(nativeSm2.verify(curve, key, SM2_DEFAULT_USER_ID, message, signature)).toBe(true)
      expect(nativeSm2.verify(curve, key, Uint8Array.of(1), message, signature)).toBe(false)
    }
  })
})
