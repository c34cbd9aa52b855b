// Deploys and wires the root-chain contracts in the order of the v1.0.5 migrations
// (protocol.md §8.3) and returns every address plus the framework's deployment tx. Used by the
// devnet, the chain tests and the gas bench.
import { execSync } from 'node:child_process';
import {
  Contract,
  ContractFactory,
  JsonRpcProvider,
  Wallet,
  ZeroAddress,
  type InterfaceAbi,
  type Provider,
  type Signer,
} from 'ethers';
import { loadArtifact } from './build';
import { anvilProvider } from './testing/anvil';

export const TX_TYPE_PAYMENT = 1n;
export const TX_TYPE_PAYMENT_V2 = 2n;
export const TX_TYPE_FEE = 3n;
export const OUTPUT_TYPE_PAYMENT = 1n;
export const VAULT_ID_ETH = 1n;
export const VAULT_ID_ERC20 = 2n;
export const PROTOCOL_MORE_VP = 2;
export const SAFE_GAS_STIPEND = 2300n;

export type SignerLike = Signer | string;

export interface DeployPlasmaOptions {
  /** Either a provider or an RPC URL (an anvil-safe provider is built for a URL). */
  provider?: Provider;
  rpcUrl?: string;
  /** Fixed at construction; calls activateChildChain and submits blocks. Should be a fresh account. */
  authority: SignerLike;
  /** Registers vaults and exit games, sets verifiers, version and bonds. */
  maintainer: SignerLike;
  /** Pays for the contract deployments; defaults to the maintainer. */
  deployer?: SignerLike;
  minExitPeriod: bigint;
  /** `getVersion()`; defaults to "1.0.5+<7-char git sha of this repo>". */
  version?: string;
  initialImmuneVaults?: bigint;
  initialImmuneExitGames?: bigint;
  safeGasStipend?: bigint;
  /** Register the empty FeeExitGame for tx type 3 (step 8); default true, as v1.0.5 does. */
  withFeeExitGame?: boolean;
  /** Call addExitQueue(1, 0x0) at the end (step 9); default true. */
  addEthExitQueue?: boolean;
  /** ERC-20 tokens to add exit queues for (vault 2). */
  erc20Tokens?: string[];
}

export interface PlasmaAddresses {
  plasmaFramework: string;
  ethDepositVerifier: string;
  ethVault: string;
  erc20DepositVerifier: string;
  erc20Vault: string;
  spendingConditionRegistry: string;
  paymentOutputToPaymentTxCondition: string;
  paymentOutputToPaymentV2TxCondition: string;
  paymentTransactionStateTransitionVerifier: string;
  paymentExitGame: string;
  feeExitGame: string | null;
}

export interface PlasmaDeployment {
  addresses: PlasmaAddresses;
  frameworkDeployTxHash: string;
  frameworkDeployBlock: number;
  /** Tokens whose exit queue was added here (ETH as the zero address). */
  exitQueueTokens: string[];
}

function toSigner(s: SignerLike, provider: Provider): Signer {
  if (typeof s === 'string') return new Wallet(s, provider);
  return s.provider ? s : s.connect(provider);
}

function defaultVersion(): string {
  let sha = '0000000';
  try {
    sha = execSync('git rev-parse --short=7 HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a git checkout: keep the placeholder sha.
  }
  return `1.0.5+${sha}`;
}

/** Deploys a compiled contract and waits for it to be mined. */
export async function deployContract(
  name: string,
  signer: Signer,
  args: unknown[] = [],
): Promise<{ contract: Contract; address: string; txHash: string; blockNumber: number }> {
  const artifact = loadArtifact(name);
  const factory = new ContractFactory(artifact.abi as InterfaceAbi, artifact.bytecode, signer);
  const contract = (await factory.deploy(...args)) as Contract;
  const tx = contract.deploymentTransaction();
  if (!tx) throw new Error(`No deployment tx for ${name}`);
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`Deployment of ${name} failed`);
  return {
    contract,
    address: await contract.getAddress(),
    txHash: tx.hash,
    blockNumber: receipt.blockNumber,
  };
}

/** A contract handle for a deployed address, with the compiled ABI. */
export function attach(name: string, address: string, runner: Signer | Provider): Contract {
  return new Contract(address, loadArtifact(name).abi as InterfaceAbi, runner);
}

async function send(p: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await p).wait();
}

export async function deployPlasma(options: DeployPlasmaOptions): Promise<PlasmaDeployment> {
  const provider: Provider =
    options.provider ??
    (options.rpcUrl
      ? anvilProvider(options.rpcUrl)
      : (() => {
          throw new Error('deployPlasma needs a provider or an rpcUrl');
        })());
  const authority = toSigner(options.authority, provider);
  const maintainer = toSigner(options.maintainer, provider);
  const deployer = options.deployer ? toSigner(options.deployer, provider) : maintainer;
  const stipend = options.safeGasStipend ?? SAFE_GAS_STIPEND;

  // 1. Framework; activation by the authority; version by the maintainer.
  const fw = await deployContract('PlasmaFramework', deployer, [
    options.minExitPeriod,
    options.initialImmuneVaults ?? 2n,
    options.initialImmuneExitGames ?? 2n,
    await authority.getAddress(),
    await maintainer.getAddress(),
  ]);
  const framework = fw.contract;
  await send((framework.connect(authority) as Contract).getFunction('activateChildChain')());
  await send(
    (framework.connect(maintainer) as Contract).getFunction('setVersion')(
      options.version ?? defaultVersion(),
    ),
  );
  const asMaintainer = framework.connect(maintainer) as Contract;

  // 2. ETH vault with its verifier.
  const ethVerifier = await deployContract('EthDepositVerifier', deployer, [
    TX_TYPE_PAYMENT,
    OUTPUT_TYPE_PAYMENT,
  ]);
  const ethVault = await deployContract('EthVault', deployer, [fw.address, stipend]);
  await send(
    (ethVault.contract.connect(maintainer) as Contract).getFunction('setDepositVerifier')(
      ethVerifier.address,
    ),
  );
  await send(asMaintainer.getFunction('registerVault')(VAULT_ID_ETH, ethVault.address));

  // 3. ERC-20 vault with its verifier.
  const erc20Verifier = await deployContract('Erc20DepositVerifier', deployer, [
    TX_TYPE_PAYMENT,
    OUTPUT_TYPE_PAYMENT,
  ]);
  const erc20Vault = await deployContract('Erc20Vault', deployer, [fw.address]);
  await send(
    (erc20Vault.contract.connect(maintainer) as Contract).getFunction('setDepositVerifier')(
      erc20Verifier.address,
    ),
  );
  await send(asMaintainer.getFunction('registerVault')(VAULT_ID_ERC20, erc20Vault.address));

  // 4. Spending conditions, then the registry is frozen. (The fee-claim condition is not built:
  //    a Vigil operator never puts fee txs in blocks, quirk Q2.)
  const registry = await deployContract('SpendingConditionRegistry', deployer);
  const condition11 = await deployContract('PaymentOutputToPaymentTxCondition', deployer, [
    fw.address,
    TX_TYPE_PAYMENT,
    TX_TYPE_PAYMENT,
  ]);
  const condition12 = await deployContract('PaymentOutputToPaymentTxCondition', deployer, [
    fw.address,
    TX_TYPE_PAYMENT,
    TX_TYPE_PAYMENT_V2,
  ]);
  await send(
    registry.contract.getFunction('registerSpendingCondition')(
      OUTPUT_TYPE_PAYMENT,
      TX_TYPE_PAYMENT,
      condition11.address,
    ),
  );
  await send(
    registry.contract.getFunction('registerSpendingCondition')(
      OUTPUT_TYPE_PAYMENT,
      TX_TYPE_PAYMENT_V2,
      condition12.address,
    ),
  );
  await send(registry.contract.getFunction('renounceOwnership')());

  // 5–7. State-transition verifier and the payment exit game (no linked libraries here).
  const stateVerifier = await deployContract('PaymentTransactionStateTransitionVerifier', deployer);
  const exitGame = await deployContract('PaymentExitGame', deployer, [
    {
      framework: fw.address,
      ethVaultId: VAULT_ID_ETH,
      erc20VaultId: VAULT_ID_ERC20,
      spendingConditionRegistry: registry.address,
      stateTransitionVerifier: stateVerifier.address,
      supportTxType: TX_TYPE_PAYMENT,
      safeGasStipend: stipend,
    },
  ]);
  await send(
    asMaintainer.getFunction('registerExitGame')(
      TX_TYPE_PAYMENT,
      exitGame.address,
      PROTOCOL_MORE_VP,
    ),
  );

  // 8. The empty fee exit game, so fee txs count as MoreVP.
  let feeExitGame: string | null = null;
  if (options.withFeeExitGame ?? true) {
    const fee = await deployContract('FeeExitGame', deployer);
    await send(
      asMaintainer.getFunction('registerExitGame')(TX_TYPE_FEE, fee.address, PROTOCOL_MORE_VP),
    );
    feeExitGame = fee.address;
  }

  // 9. Exit queues.
  const exitQueueTokens: string[] = [];
  const addQueue = async (vaultId: bigint, token: string): Promise<void> => {
    await send(
      (framework.connect(deployer) as Contract).getFunction('addExitQueue')(vaultId, token),
    );
    exitQueueTokens.push(token.toLowerCase());
  };
  if (options.addEthExitQueue ?? true) await addQueue(VAULT_ID_ETH, ZeroAddress);
  for (const token of options.erc20Tokens ?? []) await addQueue(VAULT_ID_ERC20, token);

  return {
    addresses: {
      plasmaFramework: fw.address,
      ethDepositVerifier: ethVerifier.address,
      ethVault: ethVault.address,
      erc20DepositVerifier: erc20Verifier.address,
      erc20Vault: erc20Vault.address,
      spendingConditionRegistry: registry.address,
      paymentOutputToPaymentTxCondition: condition11.address,
      paymentOutputToPaymentV2TxCondition: condition12.address,
      paymentTransactionStateTransitionVerifier: stateVerifier.address,
      paymentExitGame: exitGame.address,
      feeExitGame,
    },
    frameworkDeployTxHash: fw.txHash,
    frameworkDeployBlock: fw.blockNumber,
    exitQueueTokens,
  };
}

export { JsonRpcProvider };
