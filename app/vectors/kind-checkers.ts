/**
 * The vector kinds this runner understands (vectors/README.md "Kinds"), by the `kind` field of a
 * file. A kind missing here is reported as skipped, never as an error.
 */
import { emvArqcChecker, emvIssuerScriptMacChecker } from "./kinds/emv-kinds.ts"
import { gpScp02Checker, gpScp03Checker } from "./kinds/gp-channel-kinds.ts"
import { gpScp02KdfChecker, gpScp03KdfChecker } from "./kinds/gp-kdf-kinds.ts"
import { gpScp02CardChallengeChecker, gpScp02RmacChecker } from "./kinds/gp-scp02-extra-kinds.ts"
import { otaSmsCommandChecker, otaSmsResponseChecker } from "./kinds/ota-kinds.ts"
import { sm2EncryptChecker, sm2SignChecker, sm2X509ChainChecker } from "./kinds/sm2-kinds.ts"
import { cmacChecker, hmacSm3Checker, sm3Checker, sm4Checker } from "./kinds/symmetric-kinds.ts"
import { berTlvChecker } from "./kinds/tlv-kinds.ts"
import type { KindChecker } from "./vector-check.ts"

export const KIND_CHECKERS: Readonly<Record<string, KindChecker>> = {
  sm3: sm3Checker,
  sm4: sm4Checker,
  hmac_sm3: hmacSm3Checker,
  cmac: cmacChecker,
  sm2_sign: sm2SignChecker,
  sm2_encrypt: sm2EncryptChecker,
  sm2_x509_chain: sm2X509ChainChecker,
  gp_scp02: gpScp02Checker,
  gp_scp02_kdf: gpScp02KdfChecker,
  gp_scp02_card_challenge: gpScp02CardChallengeChecker,
  gp_scp02_rmac: gpScp02RmacChecker,
  gp_scp03: gpScp03Checker,
  gp_scp03_kdf: gpScp03KdfChecker,
  emv_arqc: emvArqcChecker,
  emv_issuer_script_mac: emvIssuerScriptMacChecker,
  ber_tlv: berTlvChecker,
  ota_sms_command: otaSmsCommandChecker,
  ota_sms_response: otaSmsResponseChecker,
}
