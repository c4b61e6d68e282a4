// The Node build (export condition `node`): node:crypto verification, synchronous on the hot
// path, and certificate mode. src/index.web.ts is the WebCrypto build: the same exports and
// the same types (test/runtime/entries.test.ts checks both).
import type { NotifyHandler, NotifyHandlerOptions, NotifyOrder } from './handler/types.js';
import { createNotifyHandlerWith } from './handler/handler.js';
import { keysByAppWith, type AppKeys, type KeysByAppOptions } from './keys/keys-by-app.js';
import { nodeRuntime } from './runtime/node.js';
import type { KeyProvider, NotifyBody, NotifyVerifier, VerifierOptions, VerifyResult } from './types.js';
import { createVerifierWith, verifyNotifyWith } from './verifier.js';

export * from './exports.js';
// Certificate functions. node-forge is loaded on their first call, not by this import.
export {
  getCertSn,
  getRootCertSn,
  loadRootBundle,
  checkAlipayCertificate,
  loadAlipayCertificate,
  parseAlipayCertificate,
} from './keys/index.js';

/**
 * Creates a verifier. Keys are parsed here, once; reuse the verifier for every request.
 * Throws a TypeError when the configuration is wrong (no key source, a key that does not
 * parse, an unknown sign type), naming the option.
 */
export function createVerifier(options: VerifierOptions): NotifyVerifier {
  return createVerifierWith(nodeRuntime, options);
}

/** One-off verification. Prefer createVerifier() and reuse it: it parses the keys once. */
export function verifyNotify(body: NotifyBody, options: VerifierOptions): Promise<VerifyResult> {
  return verifyNotifyWith(nodeRuntime, body, options);
}

/**
 * A key provider that picks the keys of a notification by its app_id, for setups with
 * several Alipay apps. Each value is the app's Alipay public key, a rotation list of keys,
 * or `{ cert, rootCert? }` in certificate mode.
 *
 * Everything is parsed and checked now, and a TypeError names the app id of a bad entry
 * (a private key, an app certificate, a certificate that does not chain to its root...).
 * An expired certificate is not an error here (one stale app must not stop the others):
 * its notifications get `CERT_EXPIRED`. An app id that is not in the map gives
 * `KEY_NOT_FOUND` naming it.
 *
 * Passed as `keyProvider`, a notification costs a Map lookup. Called directly (to wrap it
 * in your own provider), it returns the configured inputs of the app, which the verifier
 * then parses once per distinct key.
 *
 * @example
 * createVerifier({
 *   keyProvider: keysByApp({
 *     '2021000000000001': process.env.ALIPAY_PUBLIC_KEY_SHOP!,
 *     '2021000000000002': { cert: [alipayCertNew, alipayCertOld] },
 *   }, { rootCert: alipayRootCert }),
 * });
 */
export function keysByApp(map: Readonly<Record<string, AppKeys>>, options: KeysByAppOptions = {}): KeyProvider {
  return keysByAppWith(nodeRuntime, map, options);
}

/**
 * Creates the notify_url handler: verify, check against your order, run `onTrade` once per
 * event, and compute the reply (`success` or `fail`) per the decision table in
 * docs/handling-notifications.md. The returned function never throws.
 *
 * Throws a TypeError right away when the options are invalid (or when `createVerifier`
 * rejects the verifier options).
 */
export function createNotifyHandler<O extends NotifyOrder = NotifyOrder>(options: NotifyHandlerOptions<O>): NotifyHandler {
  return createNotifyHandlerWith(nodeRuntime, options);
}
