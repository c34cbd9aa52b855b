import { describe, expect, it } from 'vitest';
import { ETH_TOKEN } from '../../plasma/types';
import { balanceRows, showAmount, utxoRows } from './balances';

const VTT = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const tokens = {
  [ETH_TOKEN]: { address: ETH_TOKEN, symbol: 'ETH', decimals: 18, name: 'Ether' },
  [VTT]: { address: VTT, symbol: 'VTT', decimals: 6, name: 'Vigil Test Token' },
};

describe('balanceRows', () => {
  it('puts both chains side by side per token, formatted exactly', () => {
    const rows = balanceRows(
      {
        address: '0x1',
        balances: [
          { token: ETH_TOKEN, amount: '1500000000000000001' },
          { token: VTT, amount: '2500000' },
        ],
        utxos: [],
      },
      {
        address: '0x1',
        eth: '10000000000000000000000',
        tokens: [{ token: VTT, amount: '7' }],
        nonce: 0,
      },
      tokens,
    );
    expect(rows).toEqual([
      {
        token: ETH_TOKEN,
        symbol: 'ETH',
        childChain: '1.500000000000000001 ETH',
        ethereum: '10,000 ETH',
      },
      { token: VTT, symbol: 'VTT', childChain: '2.5 VTT', ethereum: '0.000007 VTT' },
    ]);
  });

  it('shows ETH at zero before anything loads', () => {
    expect(balanceRows(null, null, tokens)).toEqual([
      { token: ETH_TOKEN, symbol: 'ETH', childChain: '0 ETH', ethereum: '0 ETH' },
    ]);
  });

  it('shows an unknown token in base units under a short address', () => {
    const other = '0x1111111111111111111111111111111111112222';
    expect(
      showAmount('1234', { address: other, symbol: '0x1111…2222', decimals: 0, name: '' }),
    ).toBe('1,234 0x1111…2222');
    const [, row] = balanceRows(
      { address: '0x1', balances: [{ token: other, amount: '5' }], utxos: [] },
      null,
      tokens,
    );
    expect(row?.childChain).toBe('5 0x1111…2222');
  });
});

describe('utxoRows', () => {
  it('orders outputs by position and says where each one is', () => {
    const utxo = (blknum: string, txindex: number, oindex: number, amount: string) => ({
      utxoPos: String(BigInt(blknum) * 1_000_000_000n + BigInt(txindex) * 10_000n + BigInt(oindex)),
      blknum,
      txindex,
      oindex,
      owner: '0x1',
      token: ETH_TOKEN,
      amount,
      txHash: '0xab',
    });
    const rows = utxoRows(
      [utxo('2000', 3, 1, '1'), utxo('1001', 0, 0, '1000000000000000000')],
      tokens,
    );
    expect(rows.map((r) => r.position)).toEqual([
      'block 1001, tx 0, output 0',
      'block 2000, tx 3, output 1',
    ]);
    expect(rows[0]?.amount).toBe('1 ETH');
    expect(rows[1]?.utxoPos).toBe('2000000030001');
  });
});
