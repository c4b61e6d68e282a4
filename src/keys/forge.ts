/**
 * node-forge, loaded on first use. The root entry point exports the certificate functions,
 * but verifying with a plain public key must not pay for forge at startup, so nothing here
 * runs at import time: the first certificate function call loads it (about 7 ms).
 *
 * Only the parts this library uses are loaded (ASN.1, MD5, base64 utilities). Requiring
 * `node-forge` itself loads TLS, PKCS#12 and the rest: about 45 ms instead of about 7 ms.
 * Each module registers itself on the shared forge object. `createRequire` keeps the load
 * synchronous (the SN helpers are synchronous) in both the ESM and the CJS build.
 */
import { createRequire } from 'node:module';
import type * as Forge from 'node-forge';

export type { Forge };

let loaded: typeof Forge | undefined;

/** The forge object with its ASN.1 and MD5 modules registered. */
export function forge(): typeof Forge {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  const instance = load('node-forge/lib/forge.js') as typeof Forge;
  load('node-forge/lib/asn1.js');
  load('node-forge/lib/md5.js');
  loaded = instance;
  return instance;
}
