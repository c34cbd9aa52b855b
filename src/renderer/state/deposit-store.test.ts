import { beforeEach, describe, expect, it } from 'vitest';
import { ETH_TOKEN } from '../../plasma/types';
import { installFakeBridge } from '../testing/fake-bridge';
import { createVault } from '../wallet/vault';
import { useDepositStore } from './deposit-store';

const PHRASE = 'test test test test test test test test test test test junk';
const OWNER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const VTT = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const vaults = {
  ethVault: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
  erc20Vault: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9',
};

async function unlockedVault() {
  const vault = await createVault('password123', { scryptN: 1 << 4 });
  vault.addMnemonic({ phrase: PHRASE }, 'Main');
  return vault;
}

/** Ethereum as main relays it: sends are counted, allowance follows approvals, deposits progress. */
function ethereum(startAllowance: bigint) {
  let allowance = startAllowance;
  let progressCalls = 0;
  const sent: string[] = [];
  const bridge = installFakeBridge({
    'eth.account': ({ address }) => ({ address, eth: '10', tokens: [], nonce: sent.length }),
    'eth.feeData': () => ({
      chainId: 31337,
      maxFeePerGas: '2000000000',
      maxPriorityFeePerGas: '1',
    }),
    'eth.estimateGas': () => ({ gas: '60000' }),
    'eth.allowance': () => ({ amount: allowance.toString(), spender: vaults.erc20Vault }),
    'eth.send': ({ raw }) => {
      sent.push(raw);
      return { hash: '0x' + String(sent.length).padStart(64, '0') };
    },
    'deposit.progress': ({ ethTxHash }) => {
      progressCalls++;
      return {
        ethTxHash,
        stage: progressCalls < 3 ? 'mined' : 'spendable',
        confirmations: progressCalls,
        needed: 3,
        blknum: '1001',
        error: null,
      };
    },
  });
  return {
    bridge,
    sent,
    setAllowance: (a: bigint) => (allowance = a),
  };
}

beforeEach(() => {
  useDepositStore.setState({ run: null, pollMs: 1, maxPolls: 50 });
});

describe('deposit store', () => {
  it('deposits ETH in one signed transaction and follows it until spendable', async () => {
    const chain = ethereum(0n);
    await useDepositStore.getState().start({
      vault: await unlockedVault(),
      owner: OWNER,
      token: ETH_TOKEN,
      amount: 10n ** 17n,
      vaults,
    });
    const run = useDepositStore.getState().run!;
    expect(run.error).toBeNull();
    expect(run.finished).toBe(true);
    expect(run.steps.map((s) => s.state)).toEqual(['done']);
    expect(run.progress).toMatchObject({ stage: 'spendable', blknum: '1001' });
    expect(chain.sent).toHaveLength(1);
    expect(chain.sent[0]).toMatch(/^0x02/); // an EIP-1559 transaction, signed here
  });

  it('resets a non-zero allowance before approving, then deposits the token', async () => {
    const chain = ethereum(5n);
    // The fake mines each approval at once: the allowance follows the step being waited for.
    const order: string[] = [];
    const unsubscribe = useDepositStore.subscribe((s) => {
      const sending = s.run?.steps.findIndex((step) => step.state === 'sending' && step.hash);
      if (sending === undefined || sending < 0) return;
      const description = s.run!.steps[sending]!.description;
      if (order.at(-1) === description) return;
      order.push(description);
      chain.setAllowance(/to 0/.test(description) ? 0n : 1000n);
    });
    await useDepositStore
      .getState()
      .start({ vault: await unlockedVault(), owner: OWNER, token: VTT, amount: 1000n, vaults });
    unsubscribe();
    const run = useDepositStore.getState().run!;
    expect(run.error).toBeNull();
    expect(run.steps).toHaveLength(3);
    expect(run.steps.every((s) => s.state === 'done')).toBe(true);
    expect(chain.sent).toHaveLength(3);
  });

  it('stops with the reason when main refuses, marking the failed step', async () => {
    const chain = ethereum(0n);
    chain.bridge.calls.length = 0;
    installFakeBridge({
      'eth.account': ({ address }) => ({ address, eth: '0', tokens: [], nonce: 0 }),
      'eth.feeData': () => ({ chainId: 31337, maxFeePerGas: '1', maxPriorityFeePerGas: '1' }),
      'eth.estimateGas': () => {
        throw Object.assign(new Error('The deposit would fail: insufficient funds for gas.'), {
          code: 'ethereum_refused',
        });
      },
    });
    await useDepositStore
      .getState()
      .start({ vault: await unlockedVault(), owner: OWNER, token: ETH_TOKEN, amount: 1n, vaults });
    const run = useDepositStore.getState().run!;
    expect(run.error).toBe('The deposit would fail: insufficient funds for gas.');
    expect(run.steps.map((s) => s.state)).toEqual(['failed']);
    expect(run.finished).toBe(false);
  });
});
