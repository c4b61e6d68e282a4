import { describe, expect, it, vi } from 'vitest';
import { ok, stubVerifier, trade } from '../support/notifications.js';

// The core replaces the placeholder createVerifier; here it is mocked to check the wiring.
const verifier = stubVerifier({ pay: ok(trade()) });
const createVerifier = vi.fn((_runtime: unknown, _options: unknown) => verifier);
vi.mock('../../src/verifier.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/verifier.js')>()),
  createVerifierWith: createVerifier,
}));

const { createNotifyHandler } = await import('../../src/index.js');

describe('verifier given as VerifierOptions', () => {
  it('creates the verifier once, with those options, when the handler is created', async () => {
    const options = { alipayPublicKey: 'MIIB...', appId: '2021000000000001' };
    const handle = createNotifyHandler({
      verifier: options,
      findOrder: async () => ({ totalAmount: '88.88' }),
      onTrade: async () => {},
    });
    expect(createVerifier).toHaveBeenCalledTimes(1);
    expect(createVerifier).toHaveBeenCalledWith(expect.objectContaining({ name: 'node' }), options);
    expect((await handle('pay')).outcome).toBe('processed');
    expect((await handle('pay')).outcome).toBe('duplicate');
    expect(createVerifier).toHaveBeenCalledTimes(1);
    expect(verifier.calls).toBe(2);
  });

  it('uses a NotifyVerifier as is', () => {
    createVerifier.mockClear();
    createNotifyHandler({ verifier, findOrder: async () => null, onTrade: async () => {} });
    expect(createVerifier).not.toHaveBeenCalled();
  });
});
