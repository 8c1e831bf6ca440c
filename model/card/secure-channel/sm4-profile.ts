/**
 * The twin's SM4 secure channel profile — a project-defined profile, NOT a published standard.
 *
 * Chinese mobile-finance SEs (JR/T 0097-2012, JR/T 0093/0094) use SM4 secure channels, but no
 * public text gives their byte layout (ref/PROTOCOLS.md §1.3). Following that section's
 * recommendation, the twin takes SCP03 (GP Amd D) unchanged and substitutes SM4 for AES
 * everywhere: the SP 800-108 KDF with SM4-CMAC as PRF, SM4-CMAC C-MAC/R-MAC with the 16-byte
 * chaining value, SM4-CBC with the counter ICV for C-DECRYPTION/R-ENCRYPTION, S8 mode. On the
 * wire it identifies itself as its own protocol: SCP identifier F3 (the twin's value,
 * scp03-session.ts SCP_IDENTIFIER) with i = 70 in the INITIALIZE UPDATE response and in the card
 * recognition data (GET DATA 66), so a host that expects SCP03 refuses an SM4 card ("scp-mismatch")
 * instead of failing on a cryptogram; its keys carry the twin's key type 0x8A in PUT KEY and the
 * key information template.
 */

import type { Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { initializeScp03Card, openScp03Host, type Scp03CardSetup } from "./scp03.ts"
import type { CardPending, HostChannelError, HostOpening, StaticKeys } from "./secure-channel.ts"

/** PUT KEY key type the twin assigns to SM4 keys (GP defines none; 0x8A is unassigned in GP 2.3 Table 11-16). */
export const KEY_TYPE_SM4 = 0x8a

export const openSm4Host = (
  crypto: Crypto,
  keys: StaticKeys,
  hostChallenge: Uint8Array,
  initializeUpdateResponse: Uint8Array,
  level: number,
): Result<HostOpening, HostChannelError> =>
  openScp03Host(crypto, "SM4", keys, hostChallenge, initializeUpdateResponse, level)

export const initializeSm4Card = (crypto: Crypto, setup: Omit<Scp03CardSetup, "cipher">): CardPending =>
  initializeScp03Card(crypto, { ...setup, cipher: "SM4" })
