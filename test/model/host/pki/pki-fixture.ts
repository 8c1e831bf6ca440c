/**
 * A pilot PKI for tests: the MTPS CA from a seed, every pilot institution enrolled at the pilot's
 * start (2014-08-01T00:00:00Z), and each institution's key pair kept for signing envelopes.
 */
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { CertificateAuthority } from "../../../../model/host/pki/certificate-authority.ts"
import { hashEntropy } from "../../../../model/host/pki/entropy.ts"
import { MTPS_CA_ID, MTPS_CA_NAME, PILOT_INSTITUTIONS } from "../../../../model/host/pki/pilot-roster.ts"
import type { Sm2KeyPair } from "../../../../model/host/pki/sm2-key-pair.ts"

/** 2014-08-01T00:00:00Z, independently: `date -u -d 2014-08-01 +%s`. */
export const PILOT_START_S = 1_406_851_200

export interface PilotPki {
  readonly ca: CertificateAuthority
  readonly keys: ReadonlyMap<string, Sm2KeyPair>
}

export const pilotPki = (crypto: Crypto, seed: string, caId = MTPS_CA_ID): PilotPki => {
  const ca = new CertificateAuthority({
    crypto,
    entropy: hashEntropy(crypto, `${seed}/ca`),
    id: caId,
    name: caId === MTPS_CA_ID ? MTPS_CA_NAME : { ...MTPS_CA_NAME, commonName: `${caId} Root CA` },
    createdAtS: PILOT_START_S,
  })
  const keys = new Map<string, Sm2KeyPair>()
  for (const identity of PILOT_INSTITUTIONS) {
    const { key } = ca.enrol(identity, hashEntropy(crypto, `${seed}/${identity.id}`), PILOT_START_S)
    keys.set(identity.id, key)
  }
  return { ca, keys }
}
