/**
 * The parts of node-forge this library uses (ASN.1, MD5, base64 utilities). Importing
 * `node-forge` itself loads TLS, PKCS#12 and the rest: about 45 ms at startup instead of
 * about 7 ms for these modules. Each module registers itself on the shared forge object.
 */
import forge from 'node-forge/lib/forge.js';
import 'node-forge/lib/asn1.js';
import 'node-forge/lib/md5.js';

export default forge;
