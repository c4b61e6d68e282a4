// The WebCrypto build (export conditions workerd, worker, browser, deno, default): the same
// exports and types as src/index.ts, verifying with crypto.subtle. No node:* module is
// reachable from here. Certificate mode needs node:crypto: its functions throw a TypeError
// (docs/runtimes-and-packaging.md).
import type { NotifyHandler, NotifyHandlerOptions, NotifyOrder } from './handler/types.js';
import { createNotifyHandlerWith } from './handler/handler.js';
import type { checkAlipayCertificate as CheckAlipayCertificate, loadAlipayCertificate as LoadAlipayCertificate, parseAlipayCertificate as ParseAlipayCertificate } from './keys/cert.js';
import type { loadRootBundle as LoadRootBundle } from './keys/cert-chain.js';
import type { getCertSn as GetCertSn, getRootCertSn as GetRootCertSn } from './keys/cert-sn.js';
import { keysByAppWith, type AppKeys, type KeysByAppOptions } from './keys/keys-by-app.js';
import { certificateModeOffNode, webRuntime } from './runtime/web.js';
import type { KeyProvider, NotifyBody, NotifyVerifier, VerifierOptions, VerifyResult } from './types.js';
import { createVerifierWith, verifyNotifyWith } from './verifier.js';

export * from './exports.js';

/** Certificate mode needs node:crypto: throws a TypeError in the WebCrypto build. */
export const getCertSn: typeof GetCertSn = certificateModeOffNode;
/** Certificate mode needs node:crypto: throws a TypeError in the WebCrypto build. */
export const getRootCertSn: typeof GetRootCertSn = certificateModeOffNode;
/** Certificate mode needs node:crypto: throws a TypeError in the WebCrypto build. */
export const loadRootBundle: typeof LoadRootBundle = certificateModeOffNode;
/** Certificate mode needs node:crypto: throws a TypeError in the WebCrypto build. */
export const checkAlipayCertificate: typeof CheckAlipayCertificate = certificateModeOffNode;
/** Certificate mode needs node:crypto: throws a TypeError in the WebCrypto build. */
export const loadAlipayCertificate: typeof LoadAlipayCertificate = certificateModeOffNode;
/** Certificate mode needs node:crypto: throws a TypeError in the WebCrypto build. */
export const parseAlipayCertificate: typeof ParseAlipayCertificate = certificateModeOffNode;

/** createVerifier on WebCrypto: verify() answers after crypto.subtle.verify (keys imported once per key and hash). */
export function createVerifier(options: VerifierOptions): NotifyVerifier {
  return createVerifierWith(webRuntime, options);
}

/** One-off verification. Prefer createVerifier() and reuse it: it parses the keys once. */
export function verifyNotify(body: NotifyBody, options: VerifierOptions): Promise<VerifyResult> {
  return verifyNotifyWith(webRuntime, body, options);
}

/** keysByApp on WebCrypto: public keys only (a certificate entry throws the certificate-mode TypeError). */
export function keysByApp(map: Readonly<Record<string, AppKeys>>, options: KeysByAppOptions = {}): KeyProvider {
  return keysByAppWith(webRuntime, map, options);
}

/** createNotifyHandler on WebCrypto. */
export function createNotifyHandler<O extends NotifyOrder = NotifyOrder>(options: NotifyHandlerOptions<O>): NotifyHandler {
  return createNotifyHandlerWith(webRuntime, options);
}
