/**
 * The run's PKI: the MTPS SM2 root CA (model/host/pki) certifies every institution's signing key
 * of the run, so `pki/` in the run folder holds the chain the envelopes were verified against
 * (`openssl verify -vfyopt distid:1234567812345678 -CAfile pki/ca.pem pki/gzt-tsm.pem`).
 */
import type { Crypto } from "../../model/crypto/crypto.ts"
import type { Sm2Point } from "../../model/crypto/sm2/sm2.ts"
import { CertificateAuthority } from "../../model/host/pki/certificate-authority.ts"
import { hashEntropy } from "../../model/host/pki/entropy.ts"
import { MTPS_CA_ID, MTPS_CA_NAME } from "../../model/host/pki/pilot-roster.ts"

/** 2014-08-01T00:00:00Z, the pilot's start (DESIGN.md §1). */
export const PILOT_START_S = 1_406_851_200

export const certifyInstitutions = (
  crypto: Crypto,
  seed: number,
  keys: ReadonlyMap<string, Sm2Point>,
): CertificateAuthority => {
  const ca = new CertificateAuthority({
    crypto,
    entropy: hashEntropy(crypto, `tsm-twin run ${seed}`),
    id: MTPS_CA_ID,
    name: MTPS_CA_NAME,
    createdAtS: PILOT_START_S,
  })
  for (const [id, key] of keys)
    ca.issue(
      { id, name: { country: "CN", organization: "tsm-twin pilot institution", commonName: id } },
      key,
      PILOT_START_S,
    )
  return ca
}
