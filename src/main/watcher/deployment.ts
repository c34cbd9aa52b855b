// Resolves the deployment the watcher follows from a network profile and checks it on chain
// (spec/watcher.md §1.3.1): the framework's deployment receipt, the exit game and vaults it has
// registered, its interval, exit period and version, and the chain id. Then binds the store to it,
// so that a database of another deployment is refused before anything is read into it.
import {
  childBlockIntervalCall,
  decodeAddressResult,
  decodeStringResult,
  decodeUintResult,
  exitGamesCall,
  getVersionCall,
  minExitPeriodCall,
  plasmaFrameworkInterface,
  vaultsCall,
} from '../../plasma/contracts';
import { isHex, normalizeAddress } from '../../plasma/hex';
import type { Address, Hex } from '../../plasma/types';
import type { NetworkProfile } from '../../shared/network-profile';
import type { DeploymentIdentity, WatcherStore } from '../store';
import { RootChainError, type RootChainReader } from './ethereum';
import type { Deployment } from './types';

export type DeploymentErrorCode =
  | 'wrong_chain'
  | 'deployment_tx_not_found'
  | 'wrong_contract_address'
  | 'contracts_mismatch'
  | 'profile_mismatch'
  | 'invalid_profile';

export class DeploymentError extends Error {
  constructor(
    readonly code: DeploymentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeploymentError';
  }
}

function address(value: string, what: string): Address {
  try {
    return normalizeAddress(value);
  } catch (cause) {
    throw new DeploymentError('invalid_profile', `The profile's ${what} is not an address.`, {
      cause,
    });
  }
}

/**
 * Reads and checks the deployment a profile names. Throws DeploymentError (the profile does not
 * describe this chain) or RootChainError (Ethereum could not be read).
 */
export async function resolveDeployment(
  profile: NetworkProfile,
  reader: RootChainReader,
): Promise<Deployment> {
  const framework = address(profile.contracts.plasmaFramework, 'plasma framework');
  const expected = {
    ethVault: address(profile.contracts.ethVault, 'ETH vault'),
    erc20Vault: address(profile.contracts.erc20Vault, 'ERC20 vault'),
    paymentExitGame: address(profile.contracts.paymentExitGame, 'payment exit game'),
  };
  const authority = address(profile.authority, 'authority');
  if (!isHex(profile.frameworkDeployTx, 32))
    throw new DeploymentError(
      'invalid_profile',
      `The profile's framework deployment transaction ${profile.frameworkDeployTx} is not a 32-byte hash.`,
    );
  const deploymentTxHash = profile.frameworkDeployTx.toLowerCase() as Hex;

  const chainId = await reader.chainId();
  if (chainId !== BigInt(profile.chainId))
    throw new DeploymentError(
      'wrong_chain',
      `The Ethereum node at ${profile.rpcUrl} is on chain ${chainId}, but the profile "${profile.name}" ` +
        `is for chain ${profile.chainId}. Point the profile at a node of the right network.`,
    );

  const receipt = await reader.receipt(deploymentTxHash);
  if (!receipt)
    throw new DeploymentError(
      'deployment_tx_not_found',
      `The framework's deployment transaction ${deploymentTxHash} is not on this chain: the profile ` +
        `"${profile.name}" does not describe the network at ${profile.rpcUrl}.`,
    );
  if (receipt.contractAddress !== framework || !receipt.status)
    throw new DeploymentError(
      'wrong_contract_address',
      `Transaction ${deploymentTxHash} deployed ${receipt.status ? (receipt.contractAddress ?? 'no contract') : 'nothing (it failed)'}, not the ` +
        `plasma framework ${framework} the profile names; the profile's addresses are wrong.`,
    );

  const read = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      if (cause instanceof RootChainError && cause.code === 'ethereum_unreachable') throw cause;
      throw new DeploymentError(
        'wrong_contract_address',
        `Could not read ${what} from the framework at ${framework}: ` +
          `${(cause as Error).message}`,
        { cause },
      );
    }
  };
  const callAddress = (what: string, req: Parameters<RootChainReader['call']>[0]) =>
    read(what, async () => decodeAddressResult(await reader.call(req)));
  const callUint = (what: string, req: Parameters<RootChainReader['call']>[0]) =>
    read(what, async () => decodeUintResult(await reader.call(req)));

  const [exitGame, ethVault, erc20Vault, onChainAuthority, interval, minExitPeriod, semver] =
    await Promise.all([
      callAddress('exitGames(1)', exitGamesCall(framework, 1n)),
      callAddress('vaults(1)', vaultsCall(framework, 1n)),
      callAddress('vaults(2)', vaultsCall(framework, 2n)),
      callAddress('authority()', {
        to: framework,
        data: plasmaFrameworkInterface.encodeFunctionData('authority') as Hex,
      }),
      callUint('childBlockInterval()', childBlockIntervalCall(framework)),
      callUint('minExitPeriod()', minExitPeriodCall(framework)),
      read('getVersion()', async () =>
        decodeStringResult(await reader.call(getVersionCall(framework))),
      ),
    ]);

  const mismatches = [
    ['payment exit game (exitGames(1))', exitGame, expected.paymentExitGame],
    ['ETH vault (vaults(1))', ethVault, expected.ethVault],
    ['ERC20 vault (vaults(2))', erc20Vault, expected.erc20Vault],
    ['authority', onChainAuthority, authority],
  ]
    .filter(([, onChain, given]) => onChain !== given)
    .map(([what, onChain, given]) => `${what} is ${onChain} on chain but ${given} in the profile`);
  if (mismatches.length > 0)
    throw new DeploymentError(
      'contracts_mismatch',
      `The framework at ${framework} does not match the profile "${profile.name}": ` +
        `${mismatches.join('; ')}.`,
    );
  if (interval !== BigInt(profile.childBlockInterval) || interval === 0n)
    throw new DeploymentError(
      'profile_mismatch',
      `The framework's child block interval is ${interval}, but the profile says ${profile.childBlockInterval}.`,
    );
  if (minExitPeriod !== BigInt(profile.minExitPeriod))
    throw new DeploymentError(
      'profile_mismatch',
      `The framework's minimum exit period is ${minExitPeriod} s, but the profile says ${profile.minExitPeriod} s; ` +
        `exit deadlines would be wrong.`,
    );

  return {
    chainId,
    plasmaFramework: framework,
    ethVault,
    erc20Vault,
    paymentExitGame: exitGame,
    authority,
    deploymentTxHash,
    deploymentHeight: receipt.blockNumber,
    childBlockInterval: interval,
    minExitPeriod: Number(minExitPeriod),
    contractSemver: semver,
  };
}

/** What the store records to recognise its deployment (watcher.md §1.3.1 "contracts_missmatch"). */
export function deploymentIdentity(d: Deployment): DeploymentIdentity {
  return {
    chainId: d.chainId,
    plasmaFramework: d.plasmaFramework,
    deploymentTxHash: d.deploymentTxHash,
    authority: d.authority,
    ethVault: d.ethVault,
    erc20Vault: d.erc20Vault,
    paymentExitGame: d.paymentExitGame,
  };
}

/**
 * Resolves the deployment and binds the store to it: the first time records it, afterwards refuses
 * (StoreError `wrong_deployment`, naming what differs) a database made for another deployment.
 */
export async function openDeployment(
  profile: NetworkProfile,
  reader: RootChainReader,
  store: WatcherStore,
): Promise<Deployment> {
  const deployment = await resolveDeployment(profile, reader);
  store.assertDeployment(deploymentIdentity(deployment));
  return deployment;
}
