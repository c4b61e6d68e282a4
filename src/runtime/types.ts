import type { CryptoProvider } from '../crypto/provider.js';
import type { CertInput } from '../keys/cert-common.js';
import type { RootBundle } from '../keys/cert-chain.js';
import type { AlipayCertificate } from '../keys/cert.js';
import type { VerificationKey } from '../keys/key-input.js';

/** Certificate mode (公钥证书模式): reading and checking certificates at configuration time. */
export interface CertificateSupport {
  /** alipayRootCert / rootCert options: parsed once. Throws a TypeError naming the option. */
  readRootBundleOption(bundle: unknown, option: string): RootBundle;
  /** Reads an Alipay certificate, refusing app and root certificates. Throws `CERT_INVALID`. */
  readAlipayCertificate(input: CertInput): AlipayCertificate;
  /** Its verification key; with a root bundle, the chain is checked (`CERT_UNTRUSTED`). */
  certificateKey(cert: AlipayCertificate, rootBundle: RootBundle | undefined): VerificationKey;
}

/**
 * What one build of the package runs on: the Node build (node:crypto, certificate mode) or
 * the WebCrypto build. The shared code takes it as an argument, so both builds can be
 * loaded side by side (the contract tests do) without any global switch.
 */
export interface Runtime {
  readonly name: 'node' | 'web';
  readonly crypto: CryptoProvider;
  readonly certificates: CertificateSupport;
}

/** readAlipayCertificate + certificateKey. Throws `CERT_INVALID` or `CERT_UNTRUSTED` (or the runtime's TypeError). */
export function loadCertificateKey(runtime: Runtime, input: CertInput, rootBundle: RootBundle | undefined): VerificationKey {
  return runtime.certificates.certificateKey(runtime.certificates.readAlipayCertificate(input), rootBundle);
}
