/**
 * The keys a served or personalized card is built with. The ISD's key set is either GlobalPlatform's
 * well-known test keys (40 41 … 4F for ENC, MAC and DEK, the key set most development cards and
 * tools such as GlobalPlatformPro default to) or drawn from a seed like every other key of the card
 * story (model/host/card-story/story-context.ts); the bank's SSD keys and issuer master keys always
 * come from the seed, so `card personalize` and `card pay` with the same seed agree with each other
 * and with `card serve`.
 */
import { toHex } from "../../model/bytes/hex.ts"
import type { CardProfile } from "../../model/card/profile.ts"
import type { StaticKeys } from "../../model/card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import { ISD_KVN, newStoryContext } from "../../model/host/card-story/story-context.ts"
import type { IssuerMasterKeys } from "../../model/host/issuer/issuer-keys.ts"

export type IsdKeyChoice = "test" | "seed"
export const ISD_KEY_CHOICES: ReadonlyArray<IsdKeyChoice> = ["test", "seed"]

/** 40 41 42 … 4F: GP's default test key value (used for ENC, MAC and DEK alike). */
export const GP_TEST_KEY = Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i)
/** Key version of the factory key set as development cards (JCOP and others) commonly report it. */
export const GP_TEST_KVN = 0xff

export interface IsdKeySet extends StaticKeys {
  readonly kvn: number
}

export interface CardKeys {
  readonly isd: IsdKeySet
  readonly ssd: StaticKeys
  readonly imks: IssuerMasterKeys
}

export const cardKeys = (
  crypto: Crypto,
  profile: CardProfile,
  seed: number,
  choice: IsdKeyChoice,
): CardKeys => {
  const seeded = newStoryContext({ seed, crypto, profile, record: false }).keys
  const isd: IsdKeySet =
    choice === "test"
      ? { kvn: GP_TEST_KVN, enc: GP_TEST_KEY, mac: GP_TEST_KEY, dek: GP_TEST_KEY }
      : { kvn: ISD_KVN, ...seeded.isd }
  return { isd, ssd: seeded.ssd, imks: seeded.imks }
}

/** The keys as a JSON document (hex strings), for `--keys-out` and the console. */
export const keysDocument = (keys: CardKeys, profile: CardProfile, seed: number): string => {
  const set = (k: StaticKeys) => ({ enc: toHex(k.enc), mac: toHex(k.mac), dek: toHex(k.dek) })
  return JSON.stringify(
    {
      profile: profile.name,
      scp: profile.scp.protocol,
      seed,
      isd: { aid: toHex(profile.isdAid), kvn: keys.isd.kvn, ...set(keys.isd) },
      ssd: set(keys.ssd),
      issuerMasterKeys: {
        ac: toHex(keys.imks.imkAc),
        smi: toHex(keys.imks.imkSmi),
        smc: toHex(keys.imks.imkSmc),
      },
    },
    null,
    2,
  )
}
