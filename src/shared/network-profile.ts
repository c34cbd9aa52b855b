// A network profile: everything the app, the watcher and the wallet need to know about one Plasma
// deployment. The devnet writes one; users can load their own. Parsed and checked in
// src/main/network/profile.ts.

export interface NetworkProfile {
  /** Format version of this file. */
  version: 1;
  name: string;
  chainId: number;
  rpcUrl: string;
  childChainUrl: string;
  contracts: {
    plasmaFramework: string;
    ethVault: string;
    erc20Vault: string;
    paymentExitGame: string;
  };
  /** The framework's deployment: where following Ethereum starts. */
  frameworkDeployTx: string;
  frameworkDeployBlock: number;
  authority: string;
  minExitPeriod: number;
  childBlockInterval: number;
  /** Ethereum confirmations before acting on an event. */
  finality: { deposits: number; exits: number };
  /** Known ERC20 tokens (the devnet's test token, for example). */
  tokens: { address: string; symbol: string; decimals: number }[];
}
