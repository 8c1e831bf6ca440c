/** Object identifiers the SM2 PKI uses (ref/PROTOCOLS.md §3; GM/T 0006-2012; RFC 5480 §2.1.1). */
export const OID = Object.freeze({
  /** id-ecPublicKey: the SubjectPublicKeyInfo algorithm of an SM2 key, with the curve as parameter. */
  EC_PUBLIC_KEY: "1.2.840.10045.2.1",
  /** sm2p256v1 (GM/T 0006 §"SM2 椭圆曲线公钥密码算法"). */
  SM2_P256V1: "1.2.156.10197.1.301",
  /** SM3withSM2 signature algorithm (OpenSSL's "SM2-with-SM3"). */
  SM3_WITH_SM2: "1.2.156.10197.1.501",
  SM3: "1.2.156.10197.1.401",
  /** X.520 commonName. */
  COMMON_NAME: "2.5.4.3",
})
