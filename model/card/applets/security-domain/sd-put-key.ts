/**
 * PUT KEY (GP 2.3 §11.8; Amd D §7.2 for AES): adds (P1 = 00) or replaces (P1 = KVN) a key set of
 * ENC, MAC and DEK keys (P2 = 81: key id 1, several keys). Keys arrive encrypted under the
 * session's data-encryption key and are checked against their KCVs (9485 when one differs).
 * After INSTALL [for personalization] of an SSD, the keys go to that SSD: this is how a parent
 * domain gives a new SSD its first keys.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { concat, equalsConstantTime } from "../../../bytes/bytes.ts"
import { kcvAes, kcvDes, kcvSm4 } from "../../../crypto/kcv.ts"
import { keyTypeOf } from "../../runtime/issuance.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  findById,
  isSecurityDomain,
  KEY_SETS_MAX,
  KeyType,
  type RegistryEntry,
} from "../../runtime/registry.ts"
import { reaches } from "./sd-authority.ts"
import type { SdContext } from "./sd-context.ts"
import { KEY_TYPE_SM2_PUBLIC, putDapKey } from "./sd-dap.ts"

interface KeyComponent {
  readonly key: Uint8Array
  readonly kcv: Uint8Array
}

/** Parses `type L [keyLen] encKey kcvLen kcv` three times; AES/SM4 carry a key-length byte. */
const parseKeys = (data: Uint8Array, type: number): KeyComponent[] | null => {
  const out: KeyComponent[] = []
  let at = 1
  for (let i = 0; i < 3; i++) {
    if (at + 2 > data.length || data[at] !== type) return null
    const length = data[at + 1]!
    const value = data.subarray(at + 2, at + 2 + length)
    at += 2 + length
    if (value.length !== length || at >= data.length) return null
    const kcvLength = data[at]!
    const kcv = data.subarray(at + 1, at + 1 + kcvLength)
    at += 1 + kcvLength
    if (kcv.length !== kcvLength || kcvLength !== 3) return null
    const key = type === KeyType.DES ? value : value.subarray(1)
    if (type !== KeyType.DES && value[0] !== key.length) return null
    out.push({ key, kcv })
  }
  return at === data.length ? out : null
}

const targetOf = (ctx: SdContext): RegistryEntry | undefined => {
  const p = ctx.channel.personalization
  if (p === null) return ctx.sd
  const target = findById(ctx.state, p.targetId)
  return target !== undefined && isSecurityDomain(target) && reaches(ctx, target) ? target : undefined
}

export const putKey = (ctx: SdContext, command: CommandApdu): Reply => {
  const target = targetOf(ctx)
  if (command.p2 === 0x01 && command.data[1] === KEY_TYPE_SM2_PUBLIC) {
    return target === undefined ? fail("conditions-not-satisfied") : putDapKey(ctx, target, command)
  }
  if (command.p2 !== 0x81) return fail("incorrect-p1p2")
  const type = keyTypeOf(ctx.profile)
  if (target === undefined) return fail("conditions-not-satisfied")
  if (command.data.length < 1) return fail("wrong-length")
  if (command.data[1] !== type && command.data.length > 1) return fail("algorithm-not-supported")
  const components = parseKeys(command.data, type)
  if (components === null) return fail("incorrect-data")
  const kvn = command.data[0]!
  const keys: Uint8Array[] = []
  for (const c of components) {
    const plain = ctx.channel.secure?.decryptData(c.key)
    if (plain === undefined || !plain.ok) return fail("incorrect-data")
    const key = plain.value.subarray(0, type === KeyType.DES ? 16 : c.key.length)
    const kcv =
      type === KeyType.DES
        ? kcvDes(ctx.crypto, key)
        : type === KeyType.AES
          ? kcvAes(ctx.crypto, key)
          : kcvSm4(ctx.crypto, key)
    if (!equalsConstantTime(kcv, c.kcv)) return fail("invalid-kcv")
    keys.push(key.slice())
  }
  const existing = target.keySets.findIndex((k) => k.kvn === kvn)
  if (command.p1 === 0x00 && existing >= 0) return fail("conditions-not-satisfied")
  if (command.p1 !== 0x00 && !target.keySets.some((k) => k.kvn === command.p1))
    return fail("referenced-data-not-found")
  if (command.p1 === 0x00 && target.keySets.length >= KEY_SETS_MAX) return fail("not-enough-memory")
  const keySet = { kvn, type, enc: keys[0]!, mac: keys[1]!, dek: keys[2]! }
  const replaced = target.keySets.findIndex((k) => k.kvn === command.p1)
  if (command.p1 === 0x00) target.keySets.push(keySet)
  else target.keySets[replaced] = keySet
  ctx.markDirty()
  return done(concat(Uint8Array.of(kvn), ...components.map((c) => c.kcv)))
}
