/**
 * Hand-built distinguished names (multi-valued RDNs, odd string types, unknown OIDs) that
 * forge's setIssuer cannot express, grafted into a forge certificate's issuer field.
 * The signature is left stale: SN computation does not check it (nor does Java's parser).
 */
import forge from 'node-forge';

/** [oid, universal tag, value]: UTF8 (12) values are UTF-8 encoded, BMP (30) are UTF-16. */
export type Ava = readonly [oid: string, tag: number, value: string];

function avaNode([oid, tag, value]: Ava): forge.asn1.Asn1 {
  const { asn1 } = forge;
  const bytes = tag === 12 ? forge.util.encodeUtf8(value) : value;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, tag as forge.asn1.Type, false, bytes),
  ]);
}

/** A Name from RDNs in DER order (least specific first); each RDN is a set of AVAs. */
export function nameNode(rdns: readonly (readonly Ava[])[]): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    rdns.map((rdn) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, rdn.map(avaNode))),
  );
}

/** DER of `cert` with its issuer replaced by `issuer` and its serial by `serialHex` (raw bytes). */
export function graft(cert: forge.pki.Certificate, issuer: forge.asn1.Asn1, serialHex?: string): Uint8Array {
  const root = forge.pki.certificateToAsn1(cert);
  const tbs = (root.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  tbs[3] = issuer; // [0] version, serialNumber, signature, issuer
  if (serialHex !== undefined) {
    tbs[1] = forge.asn1.create(0, forge.asn1.Type.INTEGER, false, forge.util.hexToBytes(serialHex));
  }
  return Uint8Array.from(Buffer.from(forge.asn1.toDer(root).getBytes(), 'binary'));
}
