// The wallet's part of the IPC contract (issue 7): what the renderer may ask the main process, and
// what main pushes. Keys never cross it: the renderer signs, main only stores the encrypted vault as
// an opaque blob and relays signed transactions. Amounts, positions and block numbers cross as
// decimal strings (JSON and every bridge carry them exactly); addresses and hashes as lowercase 0x hex.
// No runtime dependencies: this file is bundled into the preload and the renderer.

/** A decimal integer string: an amount in base units, a utxo position, a block number. */
export type DecimalString = string;
/** 0x-prefixed lowercase hex. */
export type HexString = string;

// ---------------------------------------------------------------------------------------------
// The vault (encrypted keys) — main stores the bytes, never reads inside them.

export interface VaultBlob {
  /** The encrypted vault as the renderer serialised it (JSON text, at most 1 MB). */
  blob: string;
}

// ---------------------------------------------------------------------------------------------
// The chain as the watcher sees it.

export type ChainStatusKind = 'syncing' | 'valid' | 'invalid' | 'unknown';

export interface ChainEventView {
  id: number;
  /** `invalid_block`, `block_withholding`, `invalid_exit`… (spec/watcher.md §2.2). */
  kind: string;
  /** Plain words: what happened and the one action that protects the user. */
  description: string;
  /** Whether this event makes the chain unsafe (exit everything). */
  invalidating: boolean;
  details: Record<string, string | number | boolean | null>;
  firstSeenAt: number;
}

export interface ChainSnapshot {
  network: {
    name: string;
    chainId: number;
    childBlockInterval: number;
    /** The renderer signs against these: EIP-712's verifyingContract and the deposit vaults. */
    contracts: { plasmaFramework: HexString; ethVault: HexString; erc20Vault: HexString };
  };
  status: { kind: ChainStatusKind; reason: string };
  /** Child blocks validated by this watcher and mined by the operator. */
  lastValidatedBlock: DecimalString;
  lastMinedBlock: DecimalString;
  ethereumHeight: number;
  alarms: string[];
  events: ChainEventView[];
  /** Whether a payment may be submitted now; when false, `submitRefusal` says why in plain words. */
  canSubmit: boolean;
  submitRefusal: string | null;
  at: number;
}

export interface TokenInfo {
  address: HexString;
  symbol: string;
  decimals: number;
  name: string;
}

export interface UtxoView {
  utxoPos: DecimalString;
  blknum: DecimalString;
  txindex: number;
  oindex: number;
  owner: HexString;
  token: HexString;
  amount: DecimalString;
  /** The creating transaction's hash (for a deposit: of its deposit transaction). */
  txHash: HexString;
}

export interface ChildAccount {
  address: HexString;
  balances: { token: HexString; amount: DecimalString }[];
  utxos: UtxoView[];
}

export interface EthereumAccount {
  address: HexString;
  /** ETH in wei. */
  eth: DecimalString;
  tokens: { token: HexString; amount: DecimalString }[];
  /** The next nonce (pending), for the renderer to sign Ethereum transactions. */
  nonce: number;
}

export type HistoryKind = 'sent' | 'received' | 'self' | 'deposit';

export interface HistoryItem {
  kind: HistoryKind;
  txHash: HexString;
  blknum: DecimalString;
  txindex: number;
  /** Other parties (recipients of a sent payment, senders of a received one). */
  counterparties: HexString[];
  /** Net change for this account per token (negative for sent, fees included). */
  amounts: { token: HexString; amount: DecimalString }[];
  /** The transaction's 32-byte metadata, and its text if it is printable UTF-8. */
  metadata: HexString;
  metadataText: string | null;
  /** Seconds: the block's timestamp on Ethereum. */
  timestamp: number;
}

/** The operator's fee table for payments: the fee per token it accepts. */
export interface FeeOption {
  token: HexString;
  amount: DecimalString;
  symbol: string;
  decimals: number;
}

export interface SubmitResult {
  blknum: DecimalString;
  txindex: number;
  txHash: HexString;
}

/** What main needs to let the renderer build and sign an Ethereum transaction. */
export interface EthereumFeeData {
  chainId: number;
  /** EIP-1559 fees in wei. */
  maxFeePerGas: DecimalString;
  maxPriorityFeePerGas: DecimalString;
}

export type DepositStage = 'pending' | 'mined' | 'finalizing' | 'spendable' | 'failed';

export interface DepositProgress {
  ethTxHash: HexString;
  stage: DepositStage;
  /** Confirmations so far and needed before the operator and the watcher accept the deposit. */
  confirmations: number;
  needed: number;
  /** The deposit block once mined (its utxo position is blknum·10^9). */
  blknum: DecimalString | null;
  /** When `failed`: why, in plain words. */
  error: string | null;
}

export interface NetworkChoice {
  /** `devnet` (the local network main starts itself) or the id of a saved profile. */
  id: string;
  name: string;
  chainId: number;
  selected: boolean;
}

export interface WalletSettings {
  /** Lock after this many minutes without input (0 = never). */
  idleLockMinutes: number;
  notifications: boolean;
}

// ---------------------------------------------------------------------------------------------
// Requests (added to RequestMap in ipc.ts) and events.

export interface WalletRequestMap {
  'vault.load': { params: Record<string, never>; result: { blob: string | null } };
  'vault.save': { params: VaultBlob; result: { savedAt: number } };
  'chain.snapshot': { params: Record<string, never>; result: ChainSnapshot };
  'chain.account': { params: { address: HexString }; result: ChildAccount };
  'chain.history': {
    params: { address: HexString; search?: string; limit?: number };
    result: HistoryItem[];
  };
  'chain.fees': { params: Record<string, never>; result: FeeOption[] };
  /** Refused (`chain_not_safe`) unless the chain is `valid` and synced; see ChainSnapshot. */
  'chain.submit': { params: { transaction: HexString }; result: SubmitResult };
  'eth.account': { params: { address: HexString }; result: EthereumAccount };
  'eth.token': { params: { address: HexString }; result: TokenInfo };
  'eth.allowance': {
    params: { owner: HexString; token: HexString };
    result: { amount: DecimalString; spender: HexString };
  };
  'eth.feeData': { params: Record<string, never>; result: EthereumFeeData };
  'eth.estimateGas': {
    params: { from: HexString; to: HexString; data: HexString; value: DecimalString };
    result: { gas: DecimalString };
  };
  /** Relays a signed Ethereum transaction; answers its hash once the node accepted it. */
  'eth.send': { params: { raw: HexString }; result: { hash: HexString } };
  'deposit.progress': { params: { ethTxHash: HexString }; result: DepositProgress };
  'network.list': { params: Record<string, never>; result: NetworkChoice[] };
  /** Adds a profile (the JSON text of a network profile file) and returns its id. */
  'network.add': { params: { profile: string }; result: NetworkChoice };
  'network.select': { params: { id: string }; result: NetworkChoice };
  'settings.get': { params: Record<string, never>; result: WalletSettings };
  'settings.set': { params: Partial<WalletSettings>; result: WalletSettings };
}

export interface WalletEventPayloads {
  /** After every watcher round. */
  'chain.snapshot': ChainSnapshot;
  /** A byzantine event opened (isNew) or was found open at start. */
  'chain.event': { event: ChainEventView; isNew: boolean };
}
