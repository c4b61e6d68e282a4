import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNotifyBody } from '../../src/index.js';
import { KNOWN_NAMES, knownSlot, SLOT, slotOfName } from '../../src/parse/known-keys.js';

describe('known parameter names', () => {
  it('maps the exact spelling of a known name to its slot, and nothing else', () => {
    expect(knownSlot('xtotal_amountx', 1, 13)).toBe(SLOT.total_amount);
    expect(KNOWN_NAMES[SLOT.total_amount]).toBe('total_amount');
    expect(knownSlot('total_amounT', 0, 12)).toBe(-1);
    expect(knownSlot('total_amoun', 0, 11)).toBe(-1);
    expect(knownSlot('point_amount', 0, 12)).toBe(SLOT.point_amount);
    // Same length, first and second-to-last char as a known name, different in between.
    expect(knownSlot('tXXXXXXXXXnt', 0, 12)).toBe(-1);
    expect(knownSlot('not_a_known_parameter_name', 0, 26)).toBe(-1);
    expect(knownSlot('si', 0, 2)).toBe(-1);
  });

  it('finds every known name, embedded anywhere, and the text form agrees', () => {
    for (const [slot, name] of KNOWN_NAMES.entries()) {
      expect(knownSlot(`&${name}=`, 1, name.length + 1)).toBe(slot);
      expect(slotOfName(name)).toBe(slot);
      expect(knownSlot(`${name}x`, 0, name.length + 1)).toBe(-1);
    }
    expect(slotOfName('__proto__')).toBe(-1);
  });

  it('near-miss and escaped spellings keep their own identity in the parse', () => {
    const parsed = parseNotifyBody('total_amounT=1&total%5Famount=2&x=3');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.body.params.map((p) => p.key)).toEqual(['total_amounT', 'total_amount', 'x']);
    expect(parsed.body.get('total_amount')?.value).toBe('2');
    expect(parsed.body.get('total_amounT')?.value).toBe('1');
  });

  it('known names sort by rank exactly as all keys sort by UTF-16 code units, mixed with any other keys', () => {
    // Unknown keys that sort between, before and after known ones, and non-ASCII ones.
    const near = fc.constantFrom('sign_', 'sig', 'notify_tim', 'notify_timf', 'a', 'zz', 'body_', 'app_ie', 'Z', '_', 'subjecu', '\u00e9', '\ud83d\ude00', '\uff01');
    const key = fc.oneof(fc.constantFrom(...KNOWN_NAMES), near, fc.string({ minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 40 }), (keys) => {
        const body = keys.map((k, i) => `${encodeURIComponent(k)}=${k === "charset" ? "utf-8" : i}`).join('&');
        const parsed = parseNotifyBody(body);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.body.sorted.map((p) => p.key)).toEqual([...keys].sort());
      }),
      { numRuns: 500, seed: 20261130 },
    );
  });
});
