// The shared body reader: limits, Content-Length, and what it does past the limit.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkDeclaredLength, declaredLength, nodeStreamConsumed, readNodeBody, readWebBody, tooLarge } from '../../src/adapters/read-body.js';

const bytes = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill);

describe('declaredLength', () => {
  it('reads a plain decimal Content-Length only', () => {
    expect(declaredLength('123')).toBe(123);
    expect(declaredLength(' 7 ')).toBe(7);
    for (const bad of [undefined, null, '', '-1', '1e3', '0x10', '12a', ['1', '2']]) expect(declaredLength(bad as never)).toBeUndefined();
  });

  it('checkDeclaredLength: too_large only above the limit', () => {
    expect(checkDeclaredLength('10', 10)).toBeUndefined();
    expect(checkDeclaredLength('11', 10)).toStrictEqual({ ok: false, reason: 'too_large', limit: 10, declared: 11, received: 0 });
  });

  it('tooLarge: declared only when given', () => {
    expect(tooLarge(10, 12)).toStrictEqual({ ok: false, reason: 'too_large', limit: 10, received: 12 });
    expect(tooLarge(10, 0, 11)).toStrictEqual({ ok: false, reason: 'too_large', limit: 10, declared: 11, received: 0 });
  });
});

describe('readNodeBody', () => {
  it('returns the bytes up to and including the limit', async () => {
    const r = await readNodeBody(Readable.from([Buffer.from(bytes(6)), Buffer.from(bytes(4, 0x62))]), 10);
    expect(r.ok && Buffer.from(r.body).toString()).toBe('aaaaaabbbb');
  });

  it('stops at the first chunk past the limit and pauses the stream', async () => {
    let produced = 0;
    const stream = new Readable({
      read() {
        produced++;
        this.push(Buffer.from(bytes(1024)));
      },
    });
    const r = await readNodeBody(stream, 4096);
    expect(r).toMatchObject({ ok: false, reason: 'too_large', limit: 4096, received: 5120 });
    expect(stream.isPaused()).toBe(true);
    expect(stream.listenerCount('data')).toBe(0);
    expect(produced).toBeLessThan(40); // a stream's read-ahead, not an endless read
  });

  it('reports a failing stream', async () => {
    const stream = new Readable({
      read() {
        this.destroy(new Error('reset'));
      },
    });
    expect(await readNodeBody(stream, 10)).toMatchObject({ ok: false, reason: 'failed' });
  });

  it('nodeStreamConsumed: true once something read the stream', async () => {
    const stream = Readable.from([Buffer.from('a=1')]);
    expect(nodeStreamConsumed(stream)).toBe(false);
    for await (const _ of stream) void _;
    expect(nodeStreamConsumed(stream)).toBe(true);
  });
});

describe('readWebBody', () => {
  it('a null body is empty', async () => {
    expect(await readWebBody(null, 10)).toEqual({ ok: true, body: new Uint8Array(0) });
  });

  it('joins the chunks', async () => {
    const r = await readWebBody(new Blob(['a=1&', 'b=2']).stream(), 100);
    expect(r.ok && new TextDecoder().decode(r.body)).toBe('a=1&b=2');
  });
});
