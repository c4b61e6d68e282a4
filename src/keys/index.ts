/**
 * Certificate mode (公钥证书模式) building blocks. The SN helpers are also what merchants
 * put in requests: `app_cert_sn` = getCertSn(appCertPublicKey_*.crt),
 * `alipay_root_cert_sn` = getRootCertSn(alipayRootCert.crt).
 */
export { getCertSn, getRootCertSn } from './cert-sn.js';
export { splitPemCertificates } from './pem.js';
export { loadRootBundle, type RootBundle, type TrustAnchor } from './cert-chain.js';
export {
  checkAlipayCertificate,
  loadAlipayCertificate,
  parseAlipayCertificate,
  type AlipayCertificate,
  type AlipayCertificateKind,
  type CertificateCheckOptions,
} from './cert.js';
