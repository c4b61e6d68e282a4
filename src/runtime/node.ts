import { nodeCrypto } from '../crypto/node.js';
import { nodeCertificates } from '../keys/cert-keys.js';
import type { Runtime } from './types.js';

/** The Node build: node:crypto verification (synchronous), certificate mode with node-forge and X509Certificate. */
export const nodeRuntime: Runtime = { name: 'node', crypto: nodeCrypto, certificates: nodeCertificates };
