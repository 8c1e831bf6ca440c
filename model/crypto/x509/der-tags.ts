/**
 * The DER identifier octets an X.509 certificate uses (ITU-T X.690 §8.1.2; X.680 §8.4 for the
 * universal tag numbers). Shared by the reader and, later, a writer for issuing certificates.
 */
export const DER_TAG = Object.freeze({
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [0] EXPLICIT, constructed: the TBSCertificate version. */
  CONTEXT_0: 0xa0,
  /** [1] and [2] IMPLICIT, primitive: issuerUniqueID, subjectUniqueID (RFC 5280 §4.1). */
  CONTEXT_1_PRIMITIVE: 0x81,
  CONTEXT_2_PRIMITIVE: 0x82,
  /** [3] EXPLICIT, constructed: extensions. */
  CONTEXT_3: 0xa3,
})
