/**
 * The root entry point exports the certificate functions, but node-forge must only load on
 * their first call: a plain public-key setup never pays for it. qs (testing kit) and commander
 * (CLI) never load with the root. Checked in a fresh process, on the sources; `npm run
 * check:package` checks the built dist/ the same way.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { realCertPath } from './helpers/real-certs.js';

describe('node-forge is loaded lazily', () => {
  it('importing the root entries and verifying with a public key loads no node-forge, qs or commander module; getCertSn loads forge', () => {
    const probe = fileURLToPath(new URL('./helpers/forge-probe.ts', import.meta.url));
    const cert = realCertPath('alipayCertPublicKey_RSA2.crt');
    const out = execFileSync(process.execPath, ['--import', 'tsx', probe, cert], { encoding: 'utf8' });
    const report = JSON.parse(out.trim().split('\n').pop()!);
    expect(report).toMatchObject({ afterImport: 0, rootLoaded: { qs: 0, commander: 0 }, verified: true, afterPublicKeyVerify: 0, sn: '7513daaaa48aa3ba2e4018d84402479c' });
    expect(report.afterGetCertSn).toBeGreaterThan(0);
    expect(report.qsAfterTesting).toBeGreaterThan(0);
  });
});
