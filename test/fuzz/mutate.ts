/*
 * Mutations of a form body. A body is handled as a "binary string" (one char per byte,
 * 0..255), so byte-level and form-level mutations compose; binaryToBytes (src/keys/bytes.ts)
 * turns it back into the exact bytes. Positions are taken modulo the current length at apply time.
 */
import fc from 'fast-check';

export type Mutation =
  | { op: 'flip'; pos: number; bit: number }
  | { op: 'insert'; pos: number; text: string }
  | { op: 'delete'; pos: number; len: number }
  | { op: 'truncate'; len: number }
  | { op: 'swap'; i: number; j: number }
  | { op: 'duplicate'; i: number; at: number; value: string | null }
  | { op: 'drop'; i: number }
  | { op: 'setValue'; i: number; value: string }
  | { op: 'renameKey'; i: number; key: string }
  | { op: 'add'; at: number; key: string; value: string }
  | { op: 'merge'; i: number }
  | { op: 'splitValue'; i: number; pos: number; key: string }
  | { op: 'decodeEscape'; k: number }
  | { op: 'encodeChar'; pos: number }
  | { op: 'plusSpace'; k: number }
  | { op: 'hexCase'; k: number }
  | { op: 'doubleEncode'; k: number }
  | { op: 'transplant'; from: number; i: number }
  | { op: 'signChar'; pos: number; char: string }
  | { op: 'signType'; value: string };

/** Mutations that keep the decoded params identical: the body must still verify, to the same params. */
export type Equivalence =
  | { op: 'swap'; i: number; j: number }
  | { op: 'encodeChar'; pos: number; safeOnly: true }
  | { op: 'plusSpace'; k: number; toEscape: true }
  | { op: 'hexCase'; k: number };

const interestingBytes = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x25, 0x26, 0x2b, 0x2f, 0x3d, 0x3f, 0x5b, 0x5d, 0x7f, 0x80, 0xc0, 0xe4, 0xfe, 0xff];

/** Short texts an attacker would splice in. */
export const attackText = fc.oneof(
  fc.constantFrom(
    '&', '=', '%', '%2', '%zz', '%00', '%26', '%3D', '%2B', '+', '&&', '=&=', '%FF%FE', '%C0%AF', '%E4%B8', '\u0000',
    '&total_amount=0.01', '&sign_type=RSA', '&sign=', '&__proto__=x', '&a[b]=1', '&charset=gbk', '%26total_amount%3D0.01',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 6 }),
  fc.uint8Array({ maxLength: 4 }).map((b) => String.fromCharCode(...b)),
);

const key = fc.oneof(
  fc.constantFrom('total_amount', 'sign', 'sign_type', 'charset', 'app_id', 'out_trade_no', '__proto__', 'constructor', 'toString', 'a[b]', 'x', ''),
  fc.stringMatching(/^[a-z_%0-9[\]]{0,12}$/),
);

const value = fc.oneof(
  fc.constantFrom('', ' ', '0.01', '88.88', 'RSA', 'RSA2', 'rsa2', 'gbk', 'utf-8', 'TRADE_SUCCESS', '%2B', '+', 'a%26b%3Dc'),
  fc.stringMatching(/^[A-Za-z0-9%+._\-*]{0,16}$/),
);

const nat = fc.nat({ max: 1 << 16 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), pos: nat, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('insert' as const), pos: nat, text: fc.oneof(attackText, fc.constantFrom(...interestingBytes).map((b) => String.fromCharCode(b))) }),
  fc.record({ op: fc.constant('delete' as const), pos: nat, len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), len: nat }),
  fc.record({ op: fc.constant('swap' as const), i: nat, j: nat }),
  fc.record({ op: fc.constant('duplicate' as const), i: nat, at: nat, value: fc.option(value, { nil: null }) }),
  fc.record({ op: fc.constant('drop' as const), i: nat }),
  fc.record({ op: fc.constant('setValue' as const), i: nat, value }),
  fc.record({ op: fc.constant('renameKey' as const), i: nat, key }),
  fc.record({ op: fc.constant('add' as const), at: nat, key, value }),
  fc.record({ op: fc.constant('merge' as const), i: nat }),
  fc.record({ op: fc.constant('splitValue' as const), i: nat, pos: nat, key }),
  fc.record({ op: fc.constant('decodeEscape' as const), k: nat }),
  fc.record({ op: fc.constant('encodeChar' as const), pos: nat }),
  fc.record({ op: fc.constant('plusSpace' as const), k: nat }),
  fc.record({ op: fc.constant('hexCase' as const), k: nat }),
  fc.record({ op: fc.constant('doubleEncode' as const), k: nat }),
  fc.record({ op: fc.constant('transplant' as const), from: nat, i: nat }),
  fc.record({ op: fc.constant('signChar' as const), pos: nat, char: fc.constantFrom('A', 'B', '+', '/', '=', ' ', '-', '_', '%2B', '%20', '%0A', '') }),
  fc.record({ op: fc.constant('signType' as const), value: fc.constantFrom('RSA', 'RSA2', 'rsa2', '', 'SM2', 'RSA2%20', 'RSA2&sign_type=RSA') }),
);

export const equivalence: fc.Arbitrary<Equivalence> = fc.oneof(
  fc.record({ op: fc.constant('swap' as const), i: nat, j: nat }),
  fc.record({ op: fc.constant('encodeChar' as const), pos: nat, safeOnly: fc.constant(true as const) }),
  fc.record({ op: fc.constant('plusSpace' as const), k: nat, toEscape: fc.constant(true as const) }),
  fc.record({ op: fc.constant('hexCase' as const), k: nat }),
);

const hex = (code: number) => `%${code.toString(16).toUpperCase().padStart(2, '0')}`;

/** Positions of every match of a regex in s. */
function positions(s: string, re: RegExp): number[] {
  const out: number[] = [];
  for (const m of s.matchAll(re)) out.push(m.index);
  return out;
}

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

/** Positions of chars that are literal (not part of a %XX escape). */
function literalPositions(s: string, accept: (c: string) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      i += 2;
      continue;
    }
    if (accept(s[i]!)) out.push(i);
  }
  return out;
}

export interface MutationContext {
  /** Bodies of other seeds, for transplants. */
  others: readonly string[];
}

/** Applies one mutation to a binary-string body. */
export function applyMutation(body: string, m: Mutation | Equivalence, ctx: MutationContext): string {
  const params = body.split('&');
  const n = params.length;
  switch (m.op) {
    case 'flip': {
      if (body.length === 0) return body;
      const p = m.pos % body.length;
      return body.slice(0, p) + String.fromCharCode(body.charCodeAt(p) ^ (1 << m.bit)) + body.slice(p + 1);
    }
    case 'insert': {
      const p = m.pos % (body.length + 1);
      return body.slice(0, p) + m.text + body.slice(p);
    }
    case 'delete': {
      const p = m.pos % (body.length + 1);
      return body.slice(0, p) + body.slice(p + m.len);
    }
    case 'truncate':
      return body.slice(0, m.len % (body.length + 1));
    case 'swap': {
      const i = m.i % n;
      const j = m.j % n;
      [params[i], params[j]] = [params[j]!, params[i]!];
      return params.join('&');
    }
    case 'duplicate': {
      const src = params[m.i % n]!;
      const copy = m.value === null ? src : `${src.split('=')[0]}=${m.value}`;
      params.splice(m.at % (n + 1), 0, copy);
      return params.join('&');
    }
    case 'drop':
      params.splice(m.i % n, 1);
      return params.join('&');
    case 'setValue': {
      const i = m.i % n;
      params[i] = `${params[i]!.split('=')[0]}=${m.value}`;
      return params.join('&');
    }
    case 'renameKey': {
      const i = m.i % n;
      const eq = params[i]!.indexOf('=');
      params[i] = `${m.key}${eq < 0 ? '' : params[i]!.slice(eq)}`;
      return params.join('&');
    }
    case 'add':
      params.splice(m.at % (n + 1), 0, `${m.key}=${m.value}`);
      return params.join('&');
    case 'merge': {
      // Parameter i and i+1 sent as one: the separators encoded.
      if (n < 2) return body;
      const i = m.i % (n - 1);
      params.splice(i, 2, `${params[i]}%26${params[i + 1]!.replace('=', '%3D')}`);
      return params.join('&');
    }
    case 'splitValue': {
      // A raw "&key=" inside a value: one param becomes two.
      const i = m.i % n;
      const p = params[i]!;
      const at = p.indexOf('=') + 1 + (m.pos % Math.max(1, p.length - p.indexOf('=')));
      params[i] = `${p.slice(0, at)}&${m.key}=${p.slice(at)}`;
      return params.join('&');
    }
    case 'decodeEscape': {
      const p = pick(positions(body, /%[0-9A-Fa-f]{2}/g), m.k);
      if (p === undefined) return body;
      return body.slice(0, p) + String.fromCharCode(parseInt(body.slice(p + 1, p + 3), 16)) + body.slice(p + 3);
    }
    case 'encodeChar': {
      const safe = 'safeOnly' in m;
      const p = pick(literalPositions(body, (c) => (safe ? !'&=%+'.includes(c) && c.charCodeAt(0) < 0x80 : true)), m.pos);
      if (p === undefined) return body;
      return body.slice(0, p) + hex(body.charCodeAt(p)) + body.slice(p + 1);
    }
    case 'plusSpace': {
      if ('toEscape' in m) {
        const p = pick(literalPositions(body, (c) => c === '+'), m.k);
        return p === undefined ? body : `${body.slice(0, p)}%20${body.slice(p + 1)}`;
      }
      // Either direction, including the lossy '%2B' -> '+' of a double decode.
      const p = pick(positions(body, /\+|%20|%2B/gi), m.k);
      if (p === undefined) return body;
      if (body[p] === '+') return `${body.slice(0, p)}%20${body.slice(p + 1)}`;
      return `${body.slice(0, p)}+${body.slice(p + 3)}`;
    }
    case 'hexCase': {
      const p = pick(positions(body, /%[0-9A-Fa-f]{2}/g), m.k);
      if (p === undefined) return body;
      const esc = body.slice(p, p + 3);
      const flipped = esc === esc.toUpperCase() ? esc.toLowerCase() : esc.toUpperCase();
      return body.slice(0, p) + flipped + body.slice(p + 3);
    }
    case 'doubleEncode': {
      const p = pick(positions(body, /%/g), m.k);
      if (p === undefined) return body;
      return `${body.slice(0, p)}%25${body.slice(p + 1)}`;
    }
    case 'transplant': {
      const other = pick(ctx.others, m.from);
      if (other === undefined) return body;
      const otherParams = other.split('&');
      const src = otherParams[m.i % otherParams.length]!;
      const k = src.split('=')[0];
      const at = params.findIndex((p) => p.split('=')[0] === k);
      if (at >= 0) params[at] = src;
      else params.push(src);
      return params.join('&');
    }
    case 'signChar': {
      const at = params.findIndex((p) => p.startsWith('sign='));
      if (at < 0) return body;
      const p = params[at]!;
      const pos = 5 + (m.pos % Math.max(1, p.length - 5));
      params[at] = p.slice(0, pos) + m.char + p.slice(pos + 1);
      return params.join('&');
    }
    case 'signType': {
      const at = params.findIndex((p) => p.startsWith('sign_type='));
      if (at < 0) params.push(`sign_type=${m.value}`);
      else params[at] = `sign_type=${m.value}`;
      return params.join('&');
    }
  }
}
