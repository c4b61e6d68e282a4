import { describe, expect, it } from 'vitest';
import { parseNotifyBody } from '../../src/index.js';
import { knownKey } from '../../src/parse/known-keys.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('known parameter names', () => {
  it('maps the exact bytes of a known name to its constant, and nothing else', () => {
    const b = bytes('xtotal_amountx');
    expect(knownKey(b, 1, 13)).toBe('total_amount');
    expect(knownKey(bytes('total_amounT'), 0, 12)).toBeUndefined();
    expect(knownKey(bytes('total_amoun'), 0, 11)).toBeUndefined();
    expect(knownKey(bytes('not_a_known_parameter_name'), 0, 26)).toBeUndefined();
  });

  it('near-miss and escaped spellings keep their own identity in the parse', () => {
    const parsed = parseNotifyBody('total_amounT=1&total%5Famount=2&x=3');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.body.params.map((p) => p.key)).toEqual(['total_amounT', 'total_amount', 'x']);
    expect(parsed.body.get('total_amount')?.value).toBe('2');
    expect(parsed.body.get('total_amounT')?.value).toBe('1');
  });
});
