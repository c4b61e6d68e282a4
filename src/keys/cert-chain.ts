/**
 * Root bundle loading and chain building. node:crypto's X509Certificate checks the
 * signatures (`checkIssued` + `verify`); forge only reads. Only RSA-signed roots are
 * trust anchors, like Alipay's own root SN rule (protocol.md §4.2); the SM2 and ECDSA
 * roots of alipayRootCert.crt are skipped without being handed to OpenSSL.
 */
import * as nodeCrypto from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { NotifyError } from '../errors.js';
import { readRsaRoots } from './cert-sn.js';
import { commonName } from './dn.js';
import type { X509Info } from './x509.js';

/** One usable root of the bundle. */
export interface TrustAnchor {
  /** Its cert SN (one part of `alipay_root_cert_sn`). */
  readonly sn: string;
  readonly commonName: string | undefined;
  readonly x509: X509Certificate;
}

/** alipayRootCert.crt, parsed once. Pass it as `rootBundle` to avoid re-parsing. */
export interface RootBundle {
  /** The `alipay_root_cert_sn` value of this bundle (same as `getRootCertSn`). */
  readonly rootCertSn: string;
  /** RSA-signed roots node:crypto could read: the trust anchors. */
  readonly roots: readonly TrustAnchor[];
  /** Certificates not used as anchors: SM2/ECDSA roots, or RSA roots node:crypto rejected. */
  readonly skipped: number;
}

/** A certificate of the chain given with the Alipay certificate (leaf first). */
export interface ChainLink {
  readonly info: X509Info;
  readonly x509: X509Certificate;
}

// A real Alipay chain has one intermediate; a few more are tolerated, loops are not.
const MAX_INTERMEDIATES = 4;

/** False on runtimes whose node:crypto shim has no X509Certificate (chain checks then fail closed). */
export function canCheckChains(): boolean {
  return typeof (nodeCrypto as { X509Certificate?: unknown }).X509Certificate === 'function';
}

function tryX509(der: Uint8Array): X509Certificate | undefined {
  if (!canCheckChains()) return undefined;
  try {
    return new nodeCrypto.X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** Parses alipayRootCert.crt. Throws `CERT_INVALID` if a certificate is unreadable or none is RSA. */
export function loadRootBundle(bundle: string | Uint8Array): RootBundle {
  const { rsa, rootCertSn, total } = readRsaRoots(bundle);
  const roots: TrustAnchor[] = [];
  for (const { info, sn } of rsa) {
    const x509 = tryX509(info.der);
    if (x509) roots.push({ sn, commonName: commonName(info.subject), x509 });
  }
  return { rootCertSn, roots, skipped: total - roots.length };
}

/** Wraps the certificates given with the Alipay certificate. Throws `CERT_INVALID`. */
export function toChainLinks(infos: readonly X509Info[]): ChainLink[] {
  return infos.map((info, i) => {
    const x509 = tryX509(info.der);
    if (!x509) {
      const why = canCheckChains() ? 'node:crypto cannot read it' : 'this runtime has no X509Certificate';
      throw new NotifyError('CERT_INVALID', `Certificate ${i + 1} of the Alipay certificate file: ${why}.`);
    }
    return { info, x509 };
  });
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * A path from `cert` to a root of the bundle through CA certificates of `pool` (the
 * intermediates shipped in the same PEM): `cert`, then each intermediate used, in issuing
 * order. Undefined when there is none.
 */
export function findChainPath(
  cert: ChainLink,
  pool: readonly ChainLink[],
  roots: readonly TrustAnchor[],
  depth = 0,
): ChainLink[] | undefined {
  if (roots.some((r) => signedBy(cert.x509, r.x509))) return [cert];
  if (depth >= MAX_INTERMEDIATES) return undefined;
  for (const next of pool) {
    // Only a CA may issue: a leaf (e.g. someone's app cert) must not vouch for another cert.
    if (!next.x509.ca || !signedBy(cert.x509, next.x509)) continue;
    const rest = findChainPath(next, pool.filter((c) => c !== next), roots, depth + 1);
    if (rest) return [cert, ...rest];
  }
  return undefined;
}
