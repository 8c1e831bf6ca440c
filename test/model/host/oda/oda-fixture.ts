/**
 * A scheme CA, RSA and SM2 issuers and fDDA cards for the ODA tests, built once per test file
 * (RSA key generation from a seed takes about a second for the CA and issuer).
 */
import { hex } from "../../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import type { OdaAlgorithm } from "../../../../model/card/applets/pboc/pboc-oda.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import type { PbocCardData } from "../../../../model/host/issuer/data-preparation.ts"
import { createIssuerOda, type IssuerOda } from "../../../../model/host/oda/issuer-oda.ts"
import { createSchemeCa, type SchemeCa } from "../../../../model/host/oda/scheme-ca.ts"
import { cardData } from "../../card/applets/pboc/pboc-fixture.ts"

export const DATES = { expiryMmyy: hex("1230"), serial: hex("000001") }

export interface OdaWorld {
  readonly ca: SchemeCa
  readonly issuers: Readonly<Record<OdaAlgorithm, IssuerOda>>
}

export const odaWorld = (crypto: Crypto, seed = 2015): OdaWorld => {
  const ca = createSchemeCa(crypto, seed)
  return {
    ca,
    issuers: {
      rsa: createIssuerOda(crypto, ca, "rsa", "623052", DATES, seed),
      sm2: createIssuerOda(crypto, ca, "sm2", "623052", DATES, seed),
    },
  }
}

export const odaCardData = (
  world: OdaWorld,
  algorithm: OdaAlgorithm,
  seed = 1,
  method: "dda" | "sda" = "dda",
): PbocCardData =>
  cardData(TDES_PBOC, { oda: { issuer: world.issuers[algorithm], dates: DATES, seed, method } })
