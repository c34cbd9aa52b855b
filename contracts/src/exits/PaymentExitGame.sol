// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PlasmaFramework} from "../PlasmaFramework.sol";
import {SpendingConditionRegistry} from "../SpendingConditionRegistry.sol";
import {IExitProcessor, ISpendingCondition} from "../interfaces.sol";
import {EthVault} from "../vaults/EthVault.sol";
import {Erc20Vault} from "../vaults/Erc20Vault.sol";
import {TxDecoder} from "../lib/TxDecoder.sol";
import {PosLib} from "../lib/PosLib.sol";
import {Merkle} from "../lib/Merkle.sol";
import {ExitIds} from "../lib/ExitIds.sol";

/// Exits for payment transactions (tx type 1), protocol.md §13. This version implements standard
/// exits (start, challenge, processing) and the bond parameters; in-flight exits come later.
/// Every state-changing user entry point holds the framework's mutex while it runs (§8.5).
contract PaymentExitGame is IExitProcessor {
    uint128 public constant INITIAL_BOND_SIZE = 14000000000000000;
    uint128 public constant INITIAL_IFE_BOND_SIZE = 37000000000000000;
    uint128 public constant INITIAL_PB_BOND_SIZE = 28000000000000000;
    uint16 public constant BOND_LOWER_BOUND_DIVISOR = 2;
    uint16 public constant BOND_UPPER_BOUND_MULTIPLIER = 2;
    uint256 private constant BOND_WAITING_PERIOD = 2 days;
    uint8 private constant PROTOCOL_MORE_VP = 2;

    struct PaymentExitGameArgs {
        address framework;
        uint256 ethVaultId;
        uint256 erc20VaultId;
        address spendingConditionRegistry;
        address stateTransitionVerifier;
        uint256 supportTxType;
        uint256 safeGasStipend;
    }

    /// The record as the v1.0.5 ABI returns it.
    struct StandardExit {
        bool exitable;
        uint256 utxoPos;
        bytes32 outputId;
        address exitTarget;
        uint256 amount;
        uint256 bondSize;
    }

    /// The same record packed into four slots (a utxoPos fits in 68 bits, §4.1).
    struct StoredExit {
        address exitTarget;
        bool exitable;
        uint88 utxoPos;
        bytes32 outputId;
        uint256 amount;
        uint256 bondSize;
    }

    struct Bond {
        uint128 previousBondSize;
        uint128 updatedBondSize;
        uint256 effectiveUpdateTime;
    }

    struct StartStandardExitArgs {
        uint256 utxoPos;
        bytes rlpOutputTx;
        bytes outputTxInclusionProof;
    }

    struct ChallengeStandardExitArgs {
        uint160 exitId;
        bytes exitingTx;
        bytes challengeTx;
        uint16 inputIndex;
        bytes witness;
        bytes32 senderData;
    }

    PlasmaFramework private immutable framework;
    uint256 private immutable ethVaultId;
    uint256 private immutable erc20VaultId;
    address private immutable ethVault;
    address private immutable erc20Vault;
    SpendingConditionRegistry private immutable spendingConditionRegistry;
    address private immutable stateTransitionVerifier;
    uint256 private immutable supportTxType;
    uint256 private immutable safeGasStipend;
    uint256 private immutable minExitPeriod;

    mapping(uint160 => StoredExit) private exits;
    Bond private startStandardExitBond;
    Bond private startIFEBond;
    Bond private piggybackBond;

    event StandardExitBondUpdated(uint128 bondSize);
    event IFEBondUpdated(uint128 bondSize);
    event PiggybackBondUpdated(uint128 bondSize);
    event ExitStarted(address indexed owner, uint160 exitId);
    event ExitChallenged(uint256 indexed utxoPos);
    event ExitOmitted(uint160 indexed exitId);
    event ExitFinalized(uint160 indexed exitId);
    event BondReturnFailed(address indexed receiver, uint256 amount);
    event InFlightExitOmitted(uint160 indexed exitId, address token);

    constructor(PaymentExitGameArgs memory args) {
        PlasmaFramework fw = PlasmaFramework(args.framework);
        address eth = fw.vaults(args.ethVaultId);
        require(eth != address(0), "Invalid ETH vault");
        address erc20 = fw.vaults(args.erc20VaultId);
        require(erc20 != address(0), "Invalid ERC20 vault");
        require(
            SpendingConditionRegistry(args.spendingConditionRegistry).owner() == address(0),
            "Spending condition registry ownership needs to be renounced"
        );

        framework = fw;
        ethVaultId = args.ethVaultId;
        erc20VaultId = args.erc20VaultId;
        ethVault = eth;
        erc20Vault = erc20;
        spendingConditionRegistry = SpendingConditionRegistry(args.spendingConditionRegistry);
        stateTransitionVerifier = args.stateTransitionVerifier;
        supportTxType = args.supportTxType;
        safeGasStipend = args.safeGasStipend;
        minExitPeriod = fw.minExitPeriod();

        startStandardExitBond = Bond(INITIAL_BOND_SIZE, 0, 2 ** 63);
        startIFEBond = Bond(INITIAL_IFE_BOND_SIZE, 0, 2 ** 63);
        piggybackBond = Bond(INITIAL_PB_BOND_SIZE, 0, 2 ** 63);
    }

    modifier nonReentrant() {
        framework.activateNonReentrant();
        _;
        framework.deactivateNonReentrant();
    }

    modifier onlyMaintainer() {
        require(msg.sender == framework.getMaintainer(), "Caller address is unauthorized");
        _;
    }

    // ---------------------------------------------------------------- getters

    function standardExits(
        uint160[] calldata exitIds
    ) external view returns (StandardExit[] memory result) {
        result = new StandardExit[](exitIds.length);
        for (uint256 i = 0; i < exitIds.length; i++) {
            StoredExit storage e = exits[exitIds[i]];
            result[i] = StandardExit(
                e.exitable,
                e.utxoPos,
                e.outputId,
                e.exitTarget,
                e.amount,
                e.bondSize
            );
        }
    }

    function getStandardExitId(
        bool _isDeposit,
        bytes calldata _txBytes,
        uint256 _utxoPos
    ) external pure returns (uint160) {
        PosLib.Pos memory pos = PosLib.decode(_utxoPos);
        return ExitIds.standardExitId(_isDeposit, _txBytes, _utxoPos, pos.outputIndex);
    }

    function getInFlightExitId(bytes calldata _txBytes) external pure returns (uint160) {
        return ExitIds.inFlightExitId(_txBytes);
    }

    // ---------------------------------------------------------------- bonds (§13.2)

    function startStandardExitBondSize() public view returns (uint128) {
        return _bondSize(startStandardExitBond);
    }

    function startIFEBondSize() external view returns (uint128) {
        return _bondSize(startIFEBond);
    }

    function piggybackBondSize() external view returns (uint128) {
        return _bondSize(piggybackBond);
    }

    function updateStartStandardExitBondSize(uint128 newBondSize) external onlyMaintainer {
        _updateBond(startStandardExitBond, newBondSize);
        emit StandardExitBondUpdated(newBondSize);
    }

    function updateStartIFEBondSize(uint128 newBondSize) external onlyMaintainer {
        _updateBond(startIFEBond, newBondSize);
        emit IFEBondUpdated(newBondSize);
    }

    function updatePiggybackBondSize(uint128 newBondSize) external onlyMaintainer {
        _updateBond(piggybackBond, newBondSize);
        emit PiggybackBondUpdated(newBondSize);
    }

    function _bondSize(Bond storage bond) private view returns (uint128) {
        return
            block.timestamp < bond.effectiveUpdateTime
                ? bond.previousBondSize
                : bond.updatedBondSize;
    }

    function _updateBond(Bond storage bond, uint128 newBondSize) private {
        uint256 current = _bondSize(bond);
        require(newBondSize > 0, "Bond size cannot be zero");
        require(newBondSize >= current / BOND_LOWER_BOUND_DIVISOR, "Bond size is too low");
        require(
            uint256(newBondSize) <= current * BOND_UPPER_BOUND_MULTIPLIER,
            "Bond size is too high"
        );
        if (block.timestamp >= bond.effectiveUpdateTime) {
            bond.previousBondSize = bond.updatedBondSize;
        }
        bond.updatedBondSize = newBondSize;
        bond.effectiveUpdateTime = block.timestamp + BOND_WAITING_PERIOD;
    }

    // ---------------------------------------------------------------- standard exits

    /// What startStandardExit learns while checking, kept in memory to spare the stack.
    struct StartData {
        uint256 utxoPos;
        PosLib.Pos pos;
        TxDecoder.Output out;
        bool isDeposit;
        uint256 blockTimestamp;
        uint160 exitId;
        bytes32 outputId;
    }

    /// §13.3. Checks fire in the v1.0.5 order; see quirk Q14 for the unknown-block case.
    function startStandardExit(
        StartStandardExitArgs calldata args
    ) external payable nonReentrant {
        require(msg.value == startStandardExitBondSize(), "Input value must match msg.value");
        StartData memory d = _checkStart(args);

        exits[d.exitId] = StoredExit({
            exitTarget: msg.sender,
            exitable: true,
            utxoPos: uint88(d.utxoPos),
            outputId: d.outputId,
            amount: d.out.amount,
            bondSize: msg.value
        });

        uint256 exitableAt = block.timestamp + minExitPeriod;
        if (!d.isDeposit) {
            uint256 byBlock = d.blockTimestamp + 2 * minExitPeriod;
            if (byBlock > exitableAt) exitableAt = byBlock;
        }
        address token = d.out.token;
        framework.enqueue(
            token == address(0) ? ethVaultId : erc20VaultId,
            token,
            uint64(exitableAt),
            PlasmaFramework.TxPos(uint64(d.pos.blockNum), uint16(d.pos.txIndex), 0),
            d.exitId,
            address(this)
        );

        emit ExitStarted(msg.sender, d.exitId);
    }

    function _checkStart(
        StartStandardExitArgs calldata args
    ) private view returns (StartData memory d) {
        d.utxoPos = args.utxoPos;
        d.pos = PosLib.decode(d.utxoPos);
        bytes memory txBytes = args.rlpOutputTx;
        TxDecoder.PaymentTx memory ptx = TxDecoder.decodePayment(txBytes);
        d.out = TxDecoder.getOutput(ptx, d.pos.outputIndex);

        bytes32 root;
        (root, d.blockTimestamp) = framework.blocks(d.pos.blockNum);
        require(d.blockTimestamp != 0, "Block does not exist");
        d.isDeposit = d.pos.blockNum % 1000 != 0;

        require(ptx.txType == supportTxType, "Unsupported transaction type of the exit game");
        require(msg.sender == d.out.outputGuard, "Only output owner can start an exit");

        require(
            framework.protocols(ptx.txType) == PROTOCOL_MORE_VP,
            "MoreVpFinalization: not a MoreVP protocol tx"
        );
        require(root != bytes32(0), "Failed to get the root hash of the block num");
        require(
            Merkle.checkMembership(
                Merkle.leaf(txBytes),
                d.pos.txIndex,
                root,
                args.outputTxInclusionProof
            ),
            "The transaction must be standard finalized"
        );

        d.exitId = ExitIds.standardExitId(d.isDeposit, txBytes, d.utxoPos, d.pos.outputIndex);
        require(exits[d.exitId].amount == 0, "Exit has already started");
        d.outputId = ExitIds.outputId(d.isDeposit, txBytes, d.pos.outputIndex, d.utxoPos);
        require(!framework.isOutputFinalized(d.outputId), "Output is already spent");
    }

    /// §13.4. The challenging tx need not be in any block.
    function challengeStandardExit(ChallengeStandardExitArgs calldata args) external nonReentrant {
        require(args.senderData == keccak256(abi.encodePacked(msg.sender)), "Incorrect senderData");
        StoredExit storage stored = exits[args.exitId];
        address condition = _checkChallenge(args, stored);
        uint256 utxoPos = stored.utxoPos;
        _verifySpend(condition, args, utxoPos);

        stored.exitable = false;
        (bool ok, ) = payable(msg.sender).call{gas: safeGasStipend, value: stored.bondSize}("");
        require(ok, "SafeEthTransfer: failed to transfer ETH");

        emit ExitChallenged(utxoPos);
    }

    function _checkChallenge(
        ChallengeStandardExitArgs calldata args,
        StoredExit storage stored
    ) private view returns (address condition) {
        TxDecoder.GenericTx memory challengeTx = TxDecoder.decodeGeneric(args.challengeTx);

        require(stored.exitable, "The exit does not exist");
        uint256 utxoPos = stored.utxoPos;

        require(
            framework.protocols(challengeTx.txType) == PROTOCOL_MORE_VP,
            "MoreVpFinalization: not a MoreVP protocol tx"
        );

        PosLib.Pos memory pos = PosLib.decode(utxoPos);
        bytes memory exitingTxBytes = args.exitingTx;
        TxDecoder.PaymentTx memory exitingTx = TxDecoder.decodePayment(exitingTxBytes);
        TxDecoder.Output memory out = TxDecoder.getOutput(exitingTx, pos.outputIndex);

        condition = spendingConditionRegistry.spendingConditions(
            out.outputType,
            challengeTx.txType
        );
        require(condition != address(0), "Spending condition contract not found");

        bool isDeposit = framework.isDeposit(pos.blockNum);
        require(
            ExitIds.outputId(isDeposit, exitingTxBytes, pos.outputIndex, utxoPos) ==
                stored.outputId,
            "Invalid exiting tx causing outputId mismatch"
        );
    }

    function _verifySpend(
        address condition,
        ChallengeStandardExitArgs calldata args,
        uint256 utxoPos
    ) private view {
        require(
            ISpendingCondition(condition).verify(
                args.exitingTx,
                utxoPos,
                args.challengeTx,
                args.inputIndex,
                args.witness
            ),
            "Spending condition failed"
        );
    }

    // ---------------------------------------------------------------- processing (§13.5)

    /// Quirk Q7 (reproduced): an unchallenged exit whose output another exit finalized first is
    /// omitted and its bond stays here. Quirk Q19 (reproduced): a challenged exit is deleted
    /// without flagging its output.
    function processExit(uint160 exitId, uint256, address token) external {
        require(msg.sender == address(framework), "Caller address is unauthorized");

        if (!ExitIds.isStandardExit(exitId)) {
            // In-flight exits are not implemented yet, so no record can exist (§13.13 step 1).
            emit InFlightExitOmitted(exitId, token);
            return;
        }

        StoredExit memory e = exits[exitId];
        if (!e.exitable || framework.isOutputFinalized(e.outputId)) {
            delete exits[exitId];
            emit ExitOmitted(exitId);
            return;
        }

        framework.flagOutputFinalized(e.outputId, exitId);

        (bool ok, ) = payable(e.exitTarget).call{gas: safeGasStipend, value: e.bondSize}("");
        if (!ok) emit BondReturnFailed(e.exitTarget, e.bondSize);

        if (token == address(0)) {
            EthVault(ethVault).withdraw(payable(e.exitTarget), e.amount);
        } else {
            Erc20Vault(erc20Vault).withdraw(e.exitTarget, token, e.amount);
        }

        delete exits[exitId];
        emit ExitFinalized(exitId);
    }
}
