import { webCrypto } from '../crypto/webcrypto.js';
import type { CertificateSupport, Runtime } from './types.js';

/** The TypeError every certificate-mode entry point throws in the WebCrypto build. */
const CERTIFICATE_MODE_OFF_NODE =
  'alipay-notify: certificate mode needs node:crypto on this runtime. This is the WebCrypto build of alipay-notify ' +
  '(export conditions workerd, worker, browser, deno, default), which verifies with public keys only: configure ' +
  'alipayPublicKey with the public key of alipayCertPublicKey_RSA2.crt (on Node: parseAlipayCertificate(pem).spkiBase64, ' +
  'or `openssl x509 -pubkey -noout -in alipayCertPublicKey_RSA2.crt`), or run under Node. See docs/runtimes-and-packaging.md.';

export function certificateModeOffNode(): never {
  throw new TypeError(CERTIFICATE_MODE_OFF_NODE);
}

const noCertificates: CertificateSupport = {
  readRootBundleOption: certificateModeOffNode,
  readAlipayCertificate: certificateModeOffNode,
  certificateKey: certificateModeOffNode,
};

/** The WebCrypto build: crypto.subtle verification (asynchronous), no certificate mode. */
export const webRuntime: Runtime = { name: 'web', crypto: webCrypto, certificates: noCertificates };
