import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { amountEquals, isPaid } from '../../src/handler/checks.js';
import { generic, trade } from '../support/notifications.js';

describe('amountEquals', () => {
  const d = (s: string): Decimal => new Decimal(s);

  it.each([
    ['0.1', '0.10'],
    ['0.10', 0.1],
    ['88.88', 88.88],
    ['88.88', '88.88'],
    ['88.88', d('88.880')],
    ['20', '20.00'],
    ['20.00', 20],
    ['0.00', 0],
    ['0', -0],
    ['99999999.99', 99999999.99],
    ['0.3', 0.3],
  ])('%s equals %o', (actual, expected) => {
    expect(amountEquals(d(actual), expected)).toBe(true);
  });

  it.each([
    ['88.88', '88.89'],
    ['88.88', 88.89],
    ['88.88', d('88.89')],
    ['0.1', 0.01],
    ['0.30', 0.1 + 0.2], // 0.30000000000000004: a float sum is not the order amount
    ['100', '1e2'],
    ['1', ' 1'],
    ['1', '1 '],
    ['1', ''],
    ['1', '0x1'],
    ['1', '1.'],
    ['1', 'one'],
  ])('%s does not equal %o', (actual, expected) => {
    expect(amountEquals(d(actual), expected as string | number | Decimal)).toBe(false);
  });

  it('rejects NaN and Infinity on either side', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'NaN', 'Infinity', d('NaN'), d('Infinity')]) {
      expect(amountEquals(d('1'), bad)).toBe(false);
    }
    expect(amountEquals(d('NaN'), d('NaN'))).toBe(false);
    expect(amountEquals(d('Infinity'), d('Infinity'))).toBe(false);
    expect(amountEquals(undefined, '1')).toBe(false);
  });

  it('never goes through a float for strings and Decimals', () => {
    expect(amountEquals(d('0.12345678901234567890123'), '0.12345678901234567890123')).toBe(true);
    expect(amountEquals(d('0.12345678901234567890123'), '0.12345678901234567890124')).toBe(false);
    expect(amountEquals(d('9007199254740993'), '9007199254740993')).toBe(true);
    expect(amountEquals(d('9007199254740993'), Number('9007199254740993'))).toBe(false); // that number is 9007199254740992
  });
});

describe('isPaid', () => {
  it('is true for TRADE_SUCCESS and TRADE_FINISHED payments', () => {
    expect(isPaid(trade({ tradeStatus: 'TRADE_SUCCESS' }))).toBe(true);
    expect(isPaid(trade({ tradeStatus: 'TRADE_FINISHED' }))).toBe(true);
  });

  it('is false for other statuses, refunds, closes and non-trade notifications', () => {
    expect(isPaid(trade({ tradeStatus: 'WAIT_BUYER_PAY' }))).toBe(false);
    expect(isPaid(trade({ tradeStatus: 'TRADE_CLOSED' }))).toBe(false);
    expect(isPaid(trade({ tradeStatus: 'SOMETHING_NEW' }))).toBe(false);
    expect(isPaid(trade({ tradeStatus: 'TRADE_SUCCESS', outBizNo: 'R1', refundFee: '1.00' }))).toBe(false);
    expect(isPaid(trade({ tradeStatus: 'TRADE_FINISHED', kind: 'refund' }))).toBe(false);
    expect(isPaid(generic())).toBe(false);
  });
});
