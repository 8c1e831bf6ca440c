/**
 * The Guiyang pilot's certificate holders (DESIGN.md §1): the MTPS root CA and every institution
 * that signs inter-institution messages — the MTPS hub itself, the regional 贵州通 TSM, the three
 * telco SE-issuer TSMs, the SE issuers of NFC-SD cards and of handsets' embedded SEs, the SP-TSMs
 * of national banks, and UnionPay's TSM. Local banks reach MTPS
 * through the 贵州通 TSM and hold no certificate of their own here. Ids are file names of `pki/`.
 */

import type { InstitutionIdentity } from "./certificate-authority.ts"
import type { DistinguishedName } from "./certificate-builder.ts"

export const MTPS_CA_ID = "mtps-ca"

export const MTPS_CA_NAME: DistinguishedName = {
  country: "CN",
  organization: "中国人民银行 移动金融公共服务平台 (MTPS)",
  commonName: "MTPS SM2 Root CA",
}

const institution = (id: string, organization: string, commonName: string): InstitutionIdentity => ({
  id,
  name: { country: "CN", organization, commonName },
})

export const PILOT_INSTITUTIONS: ReadonlyArray<InstitutionIdentity> = [
  institution("mtps", "中国人民银行 移动金融公共服务平台 (MTPS)", "MTPS hub"),
  institution("gzt-tsm", "贵州通", "贵州通 TSM"),
  institution("cmcc-tsm", "中国移动", "China Mobile SE-issuer TSM"),
  institution("cucc-tsm", "中国联通", "China Unicom SE-issuer TSM"),
  institution("ctc-tsm", "中国电信", "China Telecom SE-issuer TSM"),
  institution("ccb-sp-tsm", "中国建设银行", "CCB SP-TSM"),
  institution("icbc-sp-tsm", "中国工商银行", "ICBC SP-TSM"),
  institution("unionpay-tsm", "中国银联", "UnionPay TSM"),
  // The pilot documents name NFC-SIM, NFC-SD and eSE carriers but not the NFC-SD and eSE issuers;
  // these two are the twin's stand-ins (assumption), appended so earlier serials stay put.
  institution("nfcsd-tsm", "NFC-SD 发行方 (twin)", "NFC-SD SE-issuer TSM"),
  institution("ese-tsm", "手机厂商 eSE 发行方 (twin)", "Embedded-SE issuer TSM"),
]
