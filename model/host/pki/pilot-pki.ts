/**
 * The pilot's PKI as a run builds it: the MTPS CA from the run's seed, every pilot institution
 * (pilot-roster.ts) enrolled at the pilot's start, 2014-08-01T00:00:00Z, with its key pair kept
 * for signing envelopes. A pure function of the seed, so the `pki/` export of a run and the keys
 * its envelopes were signed and verified with are the same certificates.
 */
import type { Crypto } from "../../crypto/crypto.ts"
import { CertificateAuthority, type InstitutionIdentity } from "./certificate-authority.ts"
import { hashEntropy } from "./entropy.ts"
import { MTPS_CA_ID, MTPS_CA_NAME, PILOT_INSTITUTIONS } from "./pilot-roster.ts"
import type { Sm2KeyPair } from "./sm2-key-pair.ts"

/** 2014-08-01T00:00:00Z, independently: `date -u -d 2014-08-01 +%s`. */
export const PILOT_START_S = 1_406_851_200

export interface PilotPki {
  readonly ca: CertificateAuthority
  /** Each institution's key pair by institution id. */
  readonly keys: ReadonlyMap<string, Sm2KeyPair>
}

/**
 * `extra` enrols further institutions after the roster (the pilot world's local banks, which sign
 * their own issuance orders to the 贵州通 TSM), so the roster's certificates keep their serials.
 */
export const pilotPki = (
  crypto: Crypto,
  seed: string,
  caId = MTPS_CA_ID,
  extra: ReadonlyArray<InstitutionIdentity> = [],
  /** When the CA and the certificates start; a world that starts earlier enrols earlier. */
  createdAtS = PILOT_START_S,
): PilotPki => {
  const ca = new CertificateAuthority({
    crypto,
    entropy: hashEntropy(crypto, `${seed}/ca`),
    id: caId,
    name: caId === MTPS_CA_ID ? MTPS_CA_NAME : { ...MTPS_CA_NAME, commonName: `${caId} Root CA` },
    createdAtS,
  })
  const keys = new Map<string, Sm2KeyPair>()
  for (const identity of [...PILOT_INSTITUTIONS, ...extra]) {
    const { key } = ca.enrol(identity, hashEntropy(crypto, `${seed}/${identity.id}`), createdAtS)
    keys.set(identity.id, key)
  }
  return { ca, keys }
}
