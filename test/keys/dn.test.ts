/**
 * RFC 2253 names and serials exactly as Java writes them (Alipay's SN rule hashes Java's
 * `X500Principal.getName()` + `BigInteger` serial, protocol.md §4.2). Expected strings and
 * MD5s were recorded from OpenJDK 17 with oracle/CertSn.java on the same issuers and serials.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { certSnInput } from '../../src/keys/cert-sn.js';
import { commonName } from '../../src/keys/dn.js';
import { getCertSn } from '../../src/keys/index.js';
import { parseX509, readSerial } from '../../src/keys/x509.js';
import { graft, nameNode, type Ava } from './helpers/names.js';
import { dn, issue, rsaKey, type Issued } from './helpers/pki.js';

// Issuer RDNs in DER order (least specific first).
const TRICKY: Ava[][] = [
  [['2.5.4.6', 19, 'CN']],
  [['2.5.4.8', 12, 'Zhe Jiang']],
  [['2.5.4.7', 19, 'Hangzhou']],
  [['2.5.4.10', 12, 'Acme, Inc.'], ['2.5.4.11', 12, 'R&D']], // multi-valued RDN
  [['2.5.4.11', 12, '  padded  ']],
  [['2.5.4.9', 12, '1 Main St; #2']], // STREET
  [['0.9.2342.19200300.100.1.25', 22, 'example']], // DC, IA5String
  [['0.9.2342.19200300.100.1.1', 12, 'u=1']], // UID
  [['2.5.4.5', 19, 'SN123']], // serialNumber: no RFC 2253 keyword
  [['1.2.840.113549.1.9.1', 22, 'a@b.c']], // emailAddress: no RFC 2253 keyword
  [['2.5.4.10', 12, 'x\u0000y']],
  [['2.5.4.11', 12, 'cr\r']],
  [['2.5.4.7', 28, '\u0000\u0000\u0000A']], // UniversalString: not a Java "DER string"
  [['2.5.4.3', 20, 'caf\u00e9']], // T61String, Latin-1 byte: Java decodes it as UTF-8
  [['2.5.4.3', 30, '测试']], // BMPString: Java decodes the UTF-16 bytes as UTF-8 too
  [['2.5.4.3', 12, '#a,b+c"d\\e<f>g;h=i 中文']],
];

// Java 17: getIssuerX500Principal().getName() + getSerialNumber() for TRICKY with serial 00ff01.
const TRICKY_JAVA = [
  String.raw`CN=\#a\,b\+c\"d\\e\<f\>g\;h\=i 中文`,
  'CN=mK\ufffd\ufffd',
  'CN=caf\ufffd',
  'L=#1c0400000041',
  'OU=cr\\\r',
  String.raw`O=x\00y`,
  '1.2.840.113549.1.9.1=#16056140622e63',
  '2.5.4.5=#1305534e313233',
  String.raw`UID=u\=1`,
  'DC=example',
  String.raw`STREET=1 Main St\; \#2`,
  String.raw`OU=\ \ padded\ \ `,
  String.raw`O=Acme\, Inc.+OU=R&D`,
  'L=Hangzhou',
  'ST=Zhe Jiang',
  'C=CN',
].join(',') + '65281';

let base: Issued;
beforeAll(() => {
  base = issue({ subject: dn('base'), key: rsaKey(), serial: '01' });
});

function info(rdns: Ava[][], serialHex: string) {
  return parseX509(graft(base.cert, nameNode(rdns), serialHex));
}

describe('RFC 2253 issuer names, Java-compatible', () => {
  it('escapes, reverses and hex-encodes like X500Principal.getName()', () => {
    const tricky = info(TRICKY, '00ff01');
    expect(certSnInput(tricky)).toBe(TRICKY_JAVA);
    expect(getCertSn(tricky.der)).toBe('eacc9843dbda8248a875a0f8b1dd0a9b');
  });

  it('writes a negative serial as Java BigInteger does', () => {
    const negative = info([[['2.5.4.3', 19, 'neg']]], 'ff01');
    expect(certSnInput(negative)).toBe('CN=neg-255');
    expect(getCertSn(negative.der)).toBe('8da82228f5ce37e11c4c0d05d807591c');
  });

  it('escapes every space of a value made only of spaces', () => {
    const spaces = info([[['2.5.4.3', 12, '   ']]], '7f');
    expect(certSnInput(spaces)).toBe(String.raw`CN=\ \ \ ` + '127');
    expect(getCertSn(spaces.der)).toBe('5cf70ce45487fac6ad4fc7a5136f5b73');
  });

  it('reports the most specific CN for messages, decoding BMPString properly', () => {
    expect(commonName(info(TRICKY, '01').issuer)).toBe('#a,b+c"d\\e<f>g;h=i 中文');
    expect(commonName(info([[['2.5.4.3', 30, '测试']]], '01').issuer)).toBe('测试');
    expect(commonName(info([[['2.5.4.6', 19, 'CN']]], '01').issuer)).toBeUndefined();
  });
});

describe('serial numbers', () => {
  it('reads DER INTEGERs as two-complement', () => {
    expect(readSerial('\u0000\u00ff\u0001')).toBe(65281n);
    expect(readSerial('\u00ff\u0001')).toBe(-255n);
    expect(readSerial('\u0080')).toBe(-128n);
    expect(readSerial('\u007f')).toBe(127n);
    expect(() => readSerial('')).toThrow();
  });
});
