/**
 * An X.501 Name (RFC 5280 §4.1.2.4): SEQUENCE OF RelativeDistinguishedName, each a SET OF
 * AttributeTypeAndValue. The chain check compares Names as DER bytes (vectors/README.md
 * sm2_x509_chain); the common name is decoded only to show people which party a certificate is.
 */

import { type DerElement, DerFailure, DerReader, encodedSpan } from "./der-reader.ts"
import { DER_TAG } from "./der-tags.ts"
import { decodeObjectIdentifier, decodeText } from "./der-values.ts"
import { OID } from "./oids.ts"

export interface X509Name {
  /** The Name's full DER encoding, header included. */
  readonly der: Uint8Array
  /** The first commonName as text, or null when there is none. */
  readonly commonName: string | null
}

export const readName = (bytes: Uint8Array, name: DerElement): X509Name => {
  let commonName: string | null = null
  const rdns = DerReader.of(bytes, name)
  while (!rdns.atEnd()) {
    const rdn = DerReader.of(bytes, rdns.read(DER_TAG.SET))
    if (rdn.atEnd()) throw new DerFailure("bad-value", rdn.offset, "empty RelativeDistinguishedName")
    while (!rdn.atEnd()) {
      const attribute = DerReader.of(bytes, rdn.read(DER_TAG.SEQUENCE))
      const type = decodeObjectIdentifier(bytes, attribute.read(DER_TAG.OBJECT_IDENTIFIER))
      const value = attribute.readAny()
      attribute.expectEnd()
      if (type === OID.COMMON_NAME && commonName === null) commonName = decodeText(bytes, value)
    }
  }
  return { der: encodedSpan(bytes, name), commonName }
}
