/**
 * What a run's `pki/` folder holds, as a pure map from file name to text (DESIGN.md §4 "Outputs":
 * the PKI as PEM). Writing it to disk is app/run (pki-folder.ts)'s job; the model stays free of I/O.
 * `ca.pem` is the MTPS root and each `<institution>.pem` an institution's current certificate,
 * so `openssl verify -vfyopt distid:1234567812345678 -CAfile pki/ca.pem pki/<institution>.pem`
 * checks one institution (ref/PROTOCOLS.md §3).
 */
import type { CertificateAuthority } from "./certificate-authority.ts"
import { toPem } from "./pem-writer.ts"

export const CA_FILE_NAME = "ca.pem"

export const pkiFiles = (ca: CertificateAuthority): ReadonlyMap<string, string> => {
  const files = new Map<string, string>([[CA_FILE_NAME, ca.rootPem()]])
  for (const issued of ca.institutions()) {
    const name = `${issued.institutionId}.pem`
    if (files.has(name)) throw new Error(`two certificates would be written to ${name}`)
    files.set(name, toPem(issued.der, "CERTIFICATE"))
  }
  return files
}
