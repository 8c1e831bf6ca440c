/**
 * Object identifiers the issuing side writes, beyond the ones the reader knows
 * (model/crypto/x509/oids.ts): X.520 attribute types and the RFC 5280 §4.2.1 extensions.
 */
export const PKI_OID = Object.freeze({
  /** X.520 countryName (RFC 5280 Appendix A: PrintableString of two letters). */
  COUNTRY: "2.5.4.6",
  /** X.520 organizationName. */
  ORGANIZATION: "2.5.4.10",
  /** X.520 commonName. */
  COMMON_NAME: "2.5.4.3",
  /** RFC 5280 §4.2.1.2 subjectKeyIdentifier. */
  SUBJECT_KEY_IDENTIFIER: "2.5.29.14",
  /** RFC 5280 §4.2.1.3 keyUsage. */
  KEY_USAGE: "2.5.29.15",
  /** RFC 5280 §4.2.1.9 basicConstraints. */
  BASIC_CONSTRAINTS: "2.5.29.19",
  /** RFC 5280 §4.2.1.1 authorityKeyIdentifier. */
  AUTHORITY_KEY_IDENTIFIER: "2.5.29.35",
})

/** RFC 5280 §4.2.1.3 KeyUsage bit numbers. */
export const KEY_USAGE_BIT = Object.freeze({
  DIGITAL_SIGNATURE: 0,
  KEY_CERT_SIGN: 5,
  CRL_SIGN: 6,
})
