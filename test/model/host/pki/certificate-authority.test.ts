// Proves the MTPS CA's certificates are real SM2 X.509: they parse with the project's reader, chain to the root on both crypto layers and under the real `openssl verify`, and a foreign or tampered certificate fails.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { writePkiFolder } from "../../../../app/run/pki-folder.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import { SM2_DEFAULT_USER_ID } from "../../../../model/crypto/sm2/sm2.ts"
import { parseCertificate } from "../../../../model/crypto/x509/certificate.ts"
import { verifyChain } from "../../../../model/crypto/x509/verify-chain.ts"
import { buildCertificate, keyIdentifierOf } from "../../../../model/host/pki/certificate-builder.ts"
import { secondsFromX509Time } from "../../../../model/host/pki/civil-time.ts"
import { hashEntropy } from "../../../../model/host/pki/entropy.ts"
import { toPem } from "../../../../model/host/pki/pem-writer.ts"
import { MTPS_CA_NAME, PILOT_INSTITUTIONS } from "../../../../model/host/pki/pilot-roster.ts"
import { CA_FILE_NAME, pkiFiles } from "../../../../model/host/pki/pki-files.ts"
import { generateKeyPair } from "../../../../model/host/pki/sm2-key-pair.ts"
import { PILOT_START_S, pilotPki } from "./pki-fixture.ts"

const openssl = (args: ReadonlyArray<string>) => spawnSync("openssl", args, { encoding: "utf8" })

const verifyWithOpenssl = (caPath: string, leafPath: string) =>
  openssl(["verify", "-vfyopt", "distid:1234567812345678", "-CAfile", caPath, leafPath])

describe("CertificateAuthority", () => {
  const pki = pilotPki(nativeCrypto, "pki-test")
  const folder = mkdtempSync(join(tmpdir(), "tsm-twin-pki-"))
  const written = writePkiFolder(folder, pkiFiles(pki.ca))
  const caPath = join(folder, "pki", CA_FILE_NAME)

  it("writes ca.pem and one PEM per pilot institution", () => {
    const names = written.map((path) => path.slice(path.lastIndexOf("/") + 1))
    expect(names).toEqual([CA_FILE_NAME, ...PILOT_INSTITUTIONS.map((i) => `${i.id}.pem`)])
  })

  it("issues certificates the project's parser reads back field for field", () => {
    for (const identity of PILOT_INSTITUTIONS) {
      const issued = pki.ca.certificateOf(identity.id)!
      const parsed = parseCertificate(readFileSync(join(folder, "pki", `${identity.id}.pem`), "utf8"))
      expect(parsed.ok).toBe(true)
      if (!parsed.ok) continue
      expect(parsed.value.version).toBe(3)
      expect(parsed.value.serial).toBe(issued.serial)
      expect(parsed.value.subject.commonName).toBe(identity.name.commonName)
      expect(parsed.value.issuer.der).toEqual(pki.ca.root.certificate.subject.der)
      expect(parsed.value.subjectPublicKey).toEqual(pki.keys.get(identity.id)!.publicKey)
      expect(secondsFromX509Time(parsed.value.validity.notBefore)).toBe(PILOT_START_S)
    }
  })

  it("chains every institution certificate to the root with verifyChain on both layers", () => {
    for (const crypto of [nativeCrypto, referenceCrypto]) {
      for (const issued of pki.ca.institutions()) {
        const result = verifyChain(
          crypto.sm2,
          pki.ca.rootPem(),
          toPem(issued.der, "CERTIFICATE"),
          SM2_DEFAULT_USER_ID,
        )
        expect(result, `${crypto.name} ${issued.institutionId}`).toEqual({ ok: true, value: true })
      }
    }
  })

  it("passes the real openssl verify for every exported institution certificate", () => {
    for (const identity of PILOT_INSTITUTIONS) {
      const result = verifyWithOpenssl(caPath, join(folder, "pki", `${identity.id}.pem`))
      expect(result.stdout + result.stderr, identity.id).toContain(": OK")
      expect(result.status).toBe(0)
    }
  })

  it("also verifies at the pilot's own time (openssl -attime)", () => {
    const leaf = join(folder, "pki", "gzt-tsm.pem")
    const args = ["verify", "-attime", String(PILOT_START_S + 86_400), "-vfyopt", "distid:1234567812345678"]
    expect(openssl([...args, "-CAfile", caPath, leaf]).status).toBe(0)
  })

  it("fails openssl verify for a certificate from a foreign CA with the same names", () => {
    const foreign = pilotPki(nativeCrypto, "foreign-seed")
    const path = join(folder, "foreign-gzt-tsm.pem")
    writeFileSync(path, toPem(foreign.ca.certificateOf("gzt-tsm")!.der, "CERTIFICATE"))
    const result = verifyWithOpenssl(caPath, path)
    expect(result.status).not.toBe(0)
    expect(result.stdout + result.stderr).toContain("unable to get local issuer certificate")
    expect(
      verifyChain(nativeCrypto.sm2, pki.ca.rootPem(), readFileSync(path, "utf8"), SM2_DEFAULT_USER_ID).ok,
    ).toBe(false)
  })

  it("fails openssl verify for a certificate with one flipped signature bit", () => {
    const der = pki.ca.certificateOf("cmcc-tsm")!.der.slice()
    der[der.length - 5] = (der[der.length - 5] as number) ^ 0x01
    const path = join(folder, "flipped-cmcc-tsm.pem")
    writeFileSync(path, toPem(der, "CERTIFICATE"))
    const result = verifyWithOpenssl(caPath, path)
    expect(result.status).not.toBe(0)
    expect(result.stdout + result.stderr).toContain("certificate signature failure")
  })

  it("fails openssl verify for a certificate that names our CA (issuer and key id) but is signed by another key", () => {
    const impostor = generateKeyPair(nativeCrypto, hashEntropy(nativeCrypto, "impostor"), "impostor")
    const template = {
      serial: 77n,
      issuer: MTPS_CA_NAME,
      subject: { country: "CN", organization: "贵州通", commonName: "贵州通 TSM" },
      notBeforeS: PILOT_START_S,
      notAfterS: PILOT_START_S + 20 * 365 * 86_400,
      subjectPublicKey: impostor.publicKey,
      authorityKeyId: keyIdentifierOf(nativeCrypto, pki.ca.publicKey),
      isCa: false,
    }
    const der = buildCertificate(
      nativeCrypto,
      template,
      impostor,
      SM2_DEFAULT_USER_ID,
      hashEntropy(nativeCrypto, "i"),
      "x",
    )
    const path = join(folder, "impostor.pem")
    writeFileSync(path, toPem(der, "CERTIFICATE"))
    const result = verifyWithOpenssl(caPath, path)
    expect(result.status).not.toBe(0)
    expect(result.stdout + result.stderr).toContain("certificate signature failure")
    expect(
      verifyChain(nativeCrypto.sm2, pki.ca.rootPem(), toPem(der, "CERTIFICATE"), SM2_DEFAULT_USER_ID),
    ).toMatchObject({
      ok: false,
      error: { reason: "leaf-signature-invalid" },
    })
  })

  it("fails openssl verify without the distinguishing ID (the signature really uses ZA with 1234567812345678)", () => {
    const result = openssl(["verify", "-CAfile", caPath, join(folder, "pki", "mtps.pem")])
    expect(result.status).not.toBe(0)
  })

  it("is read by openssl x509 -text with the SM2 algorithms and extensions", () => {
    const root = openssl(["x509", "-noout", "-text", "-in", caPath])
    expect(root.status).toBe(0)
    expect(root.stdout).toContain("SM2-with-SM3")
    expect(root.stdout).toMatch(/ASN1 OID: SM2/)
    expect(root.stdout).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(root.stdout).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
    const leaf = openssl(["x509", "-noout", "-text", "-in", join(folder, "pki", "unionpay-tsm.pem")])
    expect(leaf.status).toBe(0)
    expect(leaf.stdout).toMatch(/Key Usage: critical\s+Digital Signature/)
    expect(leaf.stdout).toContain("Not Before: Aug  1 00:00:00 2014 GMT")
  })

  it("keeps a revocation list and answers look-ups", () => {
    const local = pilotPki(nativeCrypto, "revocation")
    const serial = local.ca.certificateOf("ctc-tsm")!.serial
    expect(local.ca.statusOf(serial).status).toBe("good")
    expect(local.ca.revoke(serial, PILOT_START_S + 10)).toBe(true)
    expect(local.ca.revoke(serial, PILOT_START_S + 11)).toBe(false)
    expect(local.ca.statusOf(serial)).toMatchObject({ status: "revoked", revokedAtS: PILOT_START_S + 10 })
    expect(local.ca.statusOf(999n).status).toBe("unknown")
    expect(local.ca.revoke(local.ca.root.serial, PILOT_START_S)).toBe(false)
  })

  it("is deterministic: the same entropy gives byte-identical certificates, another seed different ones", () => {
    const again = pilotPki(referenceCrypto, "pki-test")
    expect(again.ca.root.der).toEqual(pki.ca.root.der)
    for (const issued of pki.ca.institutions()) {
      expect(again.ca.certificateOf(issued.institutionId)!.der).toEqual(issued.der)
    }
    expect(pilotPki(nativeCrypto, "other").ca.root.der).not.toEqual(pki.ca.root.der)
  })
})
