import { describe, expect, it, vi } from 'vitest';
import { ok, stubVerifier, trade } from '../support/notifications.js';

// The core replaces the placeholder createVerifier; here it is mocked to check the wiring.
const verifier = stubVerifier({ pay: ok(trade()) });
const createVerifier = vi.fn(() => verifier);
vi.mock('../../src/verifier.js', () => ({ createVerifier }));

const { createNotifyHandler } = await import('../../src/handler/handler.js');

describe('verifier given as VerifierOptions', () => {
  it('creates the verifier once, with those options, when the handler is created', async () => {
    const options = { alipayPublicKey: 'MIIB...', appId: '2021000000000001' };
    const handle = createNotifyHandler({
      verifier: options,
      findOrder: async () => ({ totalAmount: '88.88' }),
      onTrade: async () => {},
    });
    expect(createVerifier).toHaveBeenCalledTimes(1);
    expect(createVerifier).toHaveBeenCalledWith(options);
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
