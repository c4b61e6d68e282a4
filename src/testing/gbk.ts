/**
 * A GBK encoder for tests. Node ships GBK decoding (TextDecoder) but no encoder, so the
 * table is built once by decoding every two-byte GBK sequence.
 */
let table: Map<number, number> | undefined;

function buildTable(): Map<number, number> {
  const decoder = new TextDecoder('gbk');
  const map = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const text = decoder.decode(pair);
      if (text.length === 1 && text !== '\ufffd' && !map.has(text.charCodeAt(0))) {
        map.set(text.charCodeAt(0), (lead << 8) | trail);
      }
    }
  }
  return map;
}

/** Encodes text as GBK bytes; throws on characters GBK cannot represent. */
export function encodeGbk(text: string): Uint8Array {
  table ??= buildTable();
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const bytes = table.get(code);
    if (bytes === undefined) throw new RangeError(`Character U+${code.toString(16).toUpperCase()} has no GBK encoding.`);
    out.push(bytes >> 8, bytes & 0xff);
  }
  return Uint8Array.from(out);
}
