// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PriorityQueue} from "./PriorityQueue.sol";
import {IExitProcessor} from "./interfaces.sol";
import {ExitIds} from "./lib/ExitIds.sol";

/// The root-chain hub (protocol.md §9): block controller, vault and exit-game registries with
/// quarantine, exit queues with their processing loop, output finalization flags and the global
/// re-entrancy mutex that every exit-game entry point takes.
contract PlasmaFramework {
    uint256 public constant CHILD_BLOCK_INTERVAL = 1000;
    uint256 private constant MAX_BLOCK_NUM = 180143985094;

    uint256 public immutable minExitPeriod;
    address public immutable authority;
    address private immutable maintainer;
    uint256 private immutable vaultQuarantinePeriod;
    uint256 private immutable exitGameQuarantinePeriod;

    struct BlockModel {
        bytes32 root;
        uint256 timestamp;
    }

    // One slot: every block submission rewrites these together.
    uint64 private nextChildBlock_;
    uint16 private nextDeposit_;
    bool private activated;

    uint256 private immuneVaultsLeft;
    uint256 private immuneExitGamesLeft;

    // The mutex lives in transient storage: it is only ever held within one transaction.
    bool private transient mutex;

    string public version;

    mapping(uint256 => BlockModel) public blocks;
    mapping(uint256 => address) public vaults;
    mapping(address => uint256) public vaultToId;
    mapping(uint256 => address) public exitGames;
    mapping(address => uint256) public exitGameToTxType;
    mapping(uint256 => uint8) public protocols;
    mapping(address => uint256) private quarantineEnd;

    mapping(bytes32 => address) public delegations;
    mapping(bytes32 => address) public exitsQueues;
    mapping(bytes32 => uint160) public outputsFinalizations;

    event BlockSubmitted(uint256 blknum);
    event ChildChainActivated(address authority);
    event ExitQueueAdded(uint256 vaultId, address token);
    event ProcessedExitsNum(uint256 processedNum, uint256 vaultId, address token);
    event ExitQueued(uint160 indexed exitId, uint256 priority);
    event ExitGameRegistered(uint256 txType, address exitGameAddress, uint8 protocol);
    event VaultRegistered(uint256 vaultId, address vaultAddress);

    constructor(
        uint256 _minExitPeriod,
        uint256 _initialImmuneVaults,
        uint256 _initialImmuneExitGames,
        address _authority,
        address _maintainer
    ) {
        minExitPeriod = _minExitPeriod;
        authority = _authority;
        maintainer = _maintainer;
        vaultQuarantinePeriod = 2 * _minExitPeriod;
        exitGameQuarantinePeriod = 4 * _minExitPeriod;
        immuneVaultsLeft = _initialImmuneVaults;
        immuneExitGamesLeft = _initialImmuneExitGames;
        nextChildBlock_ = uint64(CHILD_BLOCK_INTERVAL);
        nextDeposit_ = 1;
    }

    modifier onlyAuthority() {
        require(msg.sender == authority, "Caller address is unauthorized");
        _;
    }

    modifier onlyMaintainer() {
        require(msg.sender == maintainer, "Caller address is unauthorized");
        _;
    }

    modifier onlyFromNonQuarantinedVault() {
        require(vaultToId[msg.sender] > 0, "The call is not from a registered vault");
        require(!_isQuarantined(msg.sender), "Vault is quarantined");
        _;
    }

    modifier onlyFromNonQuarantinedExitGame() {
        require(
            exitGameToTxType[msg.sender] != 0,
            "The call is not from a registered exit game contract"
        );
        require(!_isQuarantined(msg.sender), "ExitGame is quarantined");
        _;
    }

    // ---------------------------------------------------------------- getters

    function childBlockInterval() external view returns (uint256) {
        return CHILD_BLOCK_INTERVAL;
    }

    function getMaintainer() external view returns (address) {
        return maintainer;
    }

    function getVersion() external view returns (string memory) {
        return version;
    }

    function setVersion(string calldata _version) external onlyMaintainer {
        version = _version;
    }

    function isChildChainActivated() external view returns (bool) {
        return activated;
    }

    function nextChildBlock() external view returns (uint256) {
        return nextChildBlock_;
    }

    function nextDeposit() external view returns (uint256) {
        return nextDeposit_;
    }

    function nextDepositBlock() public view returns (uint256) {
        return uint256(nextChildBlock_) - CHILD_BLOCK_INTERVAL + nextDeposit_;
    }

    function isDeposit(uint256 blockNum) external view returns (bool) {
        require(blocks[blockNum].timestamp != 0, "Block does not exist");
        return blockNum % CHILD_BLOCK_INTERVAL != 0;
    }

    function isExitGameSafeToUse(address _contract) external view returns (bool) {
        return exitGameToTxType[_contract] != 0 && !_isQuarantined(_contract);
    }

    function hasExitQueue(uint256 vaultId, address token) external view returns (bool) {
        return exitsQueues[_queueKey(vaultId, token)] != address(0);
    }

    /// Quirk Q20 (reproduced): a missing queue makes this a call to address 0, which reverts
    /// without a reason.
    function getNextExit(uint256 vaultId, address token) external view returns (uint256) {
        return PriorityQueue(exitsQueues[_queueKey(vaultId, token)]).getMin();
    }

    function isOutputFinalized(bytes32 outputId) external view returns (bool) {
        return outputsFinalizations[outputId] != 0;
    }

    function isAnyInputFinalizedByOtherExit(
        bytes32[] calldata _outputIds,
        uint160 exitId
    ) external view returns (bool) {
        for (uint256 i = 0; i < _outputIds.length; i++) {
            uint160 finalizer = outputsFinalizations[_outputIds[i]];
            if (finalizer != 0 && finalizer != exitId) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- block controller

    function activateChildChain() external onlyAuthority {
        require(!activated, "Child chain already activated");
        activated = true;
        emit ChildChainActivated(authority);
    }

    /// Quirk Q17 (reproduced): the root is not checked; a zero root is stored as is.
    function submitBlock(bytes32 _blockRoot) external onlyAuthority {
        require(activated, "Child chain has not been activated by authority address yet");
        uint64 blknum = nextChildBlock_;
        blocks[blknum] = BlockModel(_blockRoot, block.timestamp);
        nextChildBlock_ = blknum + uint64(CHILD_BLOCK_INTERVAL);
        nextDeposit_ = 1;
        emit BlockSubmitted(blknum);
    }

    function submitDepositBlock(
        bytes32 _blockRoot
    ) external onlyFromNonQuarantinedVault returns (uint256) {
        require(activated, "Child chain has not been activated by authority address yet");
        uint16 deposit = nextDeposit_;
        require(deposit < CHILD_BLOCK_INTERVAL, "Exceeded limit of deposits per child block interval");
        uint256 blknum = uint256(nextChildBlock_) - CHILD_BLOCK_INTERVAL + deposit;
        blocks[blknum] = BlockModel(_blockRoot, block.timestamp);
        nextDeposit_ = deposit + 1;
        return blknum;
    }

    // ---------------------------------------------------------------- registries

    function registerVault(uint256 _vaultId, address _vaultAddress) external onlyMaintainer {
        require(_vaultId != 0, "Should not register with vault ID 0");
        require(_vaultAddress.code.length > 0, "Should not register with a non-contract address");
        require(vaults[_vaultId] == address(0), "The vault ID is already registered");
        require(vaultToId[_vaultAddress] == 0, "The vault contract is already registered");

        vaults[_vaultId] = _vaultAddress;
        vaultToId[_vaultAddress] = _vaultId;
        if (immuneVaultsLeft > 0) {
            immuneVaultsLeft -= 1;
        } else {
            quarantineEnd[_vaultAddress] = block.timestamp + vaultQuarantinePeriod;
        }
        emit VaultRegistered(_vaultId, _vaultAddress);
    }

    /// Quirk Q6 (reproduced): exit games are quarantined for 4·MEP.
    function registerExitGame(
        uint256 _txType,
        address _contract,
        uint8 _protocol
    ) external onlyMaintainer {
        require(_txType != 0, "Should not register with tx type 0");
        require(_contract.code.length > 0, "Should not register with a non-contract address");
        require(exitGames[_txType] == address(0), "The tx type is already registered");
        require(exitGameToTxType[_contract] == 0, "The exit game contract is already registered");
        require(_protocol == 1 || _protocol == 2, "Invalid protocol value");

        exitGames[_txType] = _contract;
        exitGameToTxType[_contract] = _txType;
        protocols[_txType] = _protocol;
        if (immuneExitGamesLeft > 0) {
            immuneExitGamesLeft -= 1;
        } else {
            quarantineEnd[_contract] = block.timestamp + exitGameQuarantinePeriod;
        }
        emit ExitGameRegistered(_txType, _contract, _protocol);
    }

    // ---------------------------------------------------------------- re-entrancy guard

    function activateNonReentrant() external onlyFromNonQuarantinedExitGame {
        require(!mutex, "Reentrant call");
        mutex = true;
    }

    /// Quirk Q15 (reproduced): releasing a mutex that is not held is an assertion failure.
    function deactivateNonReentrant() external onlyFromNonQuarantinedExitGame {
        assert(mutex);
        mutex = false;
    }

    // ---------------------------------------------------------------- exit queues

    struct TxPos {
        uint64 blockNum;
        uint16 txIndex;
        uint16 outputIndex;
    }

    function addExitQueue(uint256 vaultId, address token) external {
        require(vaultId != 0, "Vault ID must not be 0");
        bytes32 key = _queueKey(vaultId, token);
        require(exitsQueues[key] == address(0), "Exit queue exists");
        exitsQueues[key] = address(new PriorityQueue());
        emit ExitQueueAdded(vaultId, token);
    }

    function enqueue(
        uint256 vaultId,
        address token,
        uint64 exitableAt,
        TxPos calldata txPos,
        uint160 exitId,
        address exitProcessor
    ) external onlyFromNonQuarantinedExitGame returns (uint256) {
        address queue = exitsQueues[_queueKey(vaultId, token)];
        require(
            queue != address(0),
            "The queue for the (vaultId, token) pair is not yet added to the Plasma framework"
        );
        require(txPos.outputIndex <= 9999, "Invalid output index");
        require(txPos.blockNum <= MAX_BLOCK_NUM, "Invalid block number");
        uint256 txPosValue = uint256(txPos.blockNum) * 100_000 + txPos.txIndex;
        uint256 priority = ExitIds.priority(exitableAt, txPosValue, exitId);

        PriorityQueue(queue).insert(priority);

        bytes32 key = _delegationKey(priority, vaultId, token);
        require(delegations[key] == address(0), "The same priority is already enqueued");
        delegations[key] = exitProcessor;

        emit ExitQueued(exitId, priority);
        return priority;
    }

    /// Quirk Q4 (reproduced): an exit is due only when exitableAt < now (strict).
    /// Quirk Q5 (reproduced): a revert inside a processor reverts the whole call.
    function processExits(
        uint256 vaultId,
        address token,
        uint160 topExitId,
        uint256 maxExitsToProcess
    ) external {
        require(!mutex, "Reentrant call");
        mutex = true;

        PriorityQueue queue = PriorityQueue(exitsQueues[_queueKey(vaultId, token)]);
        require(address(queue) != address(0), "The token is not yet added to the Plasma framework");
        uint256 size = queue.currentSize();
        require(size > 0, "Exit queue is empty");

        uint256 priority = queue.getMin();
        uint160 exitId = ExitIds.exitIdOf(priority);
        require(
            topExitId == 0 || exitId == topExitId,
            "Top exit ID of the queue is different to the one specified"
        );

        uint256 processed = 0;
        while (processed < maxExitsToProcess && ExitIds.exitableAtOf(priority) < block.timestamp) {
            bytes32 key = _delegationKey(priority, vaultId, token);
            IExitProcessor processor = IExitProcessor(delegations[key]);
            delete delegations[key];
            queue.delMin();
            size -= 1;
            processed += 1;

            processor.processExit(exitId, vaultId, token);

            if (size == 0) break;
            priority = queue.getMin();
            exitId = ExitIds.exitIdOf(priority);
        }

        emit ProcessedExitsNum(processed, vaultId, token);
        mutex = false;
    }

    // ---------------------------------------------------------------- finalization flags

    function flagOutputFinalized(
        bytes32 outputId,
        uint160 exitId
    ) external onlyFromNonQuarantinedExitGame {
        _flag(outputId, exitId);
    }

    function batchFlagOutputsFinalized(
        bytes32[] calldata outputIds,
        uint160 exitId
    ) external onlyFromNonQuarantinedExitGame {
        for (uint256 i = 0; i < outputIds.length; i++) {
            _flag(outputIds[i], exitId);
        }
    }

    // ---------------------------------------------------------------- internals

    /// First writer wins: an output keeps the id of the exit that finalized it first.
    function _flag(bytes32 outputId, uint160 exitId) private {
        require(outputId != bytes32(0), "Should not flag with empty outputId");
        if (outputsFinalizations[outputId] == 0) {
            outputsFinalizations[outputId] = exitId;
        }
    }

    function _isQuarantined(address a) private view returns (bool) {
        return block.timestamp < quarantineEnd[a];
    }

    function _queueKey(uint256 vaultId, address token) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(vaultId, token));
    }

    function _delegationKey(
        uint256 priority,
        uint256 vaultId,
        address token
    ) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(priority, vaultId, token));
    }
}
