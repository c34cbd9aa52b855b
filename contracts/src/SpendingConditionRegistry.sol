// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Maps (output type, spending tx type) to the contract that decides whether a tx spends such an
/// output (protocol.md §12.1). Ownership follows OpenZeppelin 2.3.0 Ownable and is renounced before
/// the exit game is built, which freezes the mapping.
contract SpendingConditionRegistry {
    address private _owner;
    mapping(bytes32 => address) private conditions;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor() {
        _owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        require(msg.sender == _owner, "Ownable: caller is not the owner");
        _;
    }

    function owner() external view returns (address) {
        return _owner;
    }

    function isOwner() external view returns (bool) {
        return msg.sender == _owner;
    }

    function renounceOwnership() external onlyOwner {
        emit OwnershipTransferred(_owner, address(0));
        _owner = address(0);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "Ownable: new owner is the zero address");
        emit OwnershipTransferred(_owner, newOwner);
        _owner = newOwner;
    }

    function spendingConditions(
        uint256 outputType,
        uint256 spendingTxType
    ) external view returns (address) {
        return conditions[_key(outputType, spendingTxType)];
    }

    function registerSpendingCondition(
        uint256 outputType,
        uint256 spendingTxType,
        address condition
    ) external onlyOwner {
        require(outputType != 0, "Registration not possible with output type 0");
        require(spendingTxType != 0, "Registration not possible with spending tx type 0");
        require(condition.code.length > 0, "Registration not possible with a non-contract address");
        bytes32 key = _key(outputType, spendingTxType);
        require(
            conditions[key] == address(0),
            "The (output type, spending tx type) pair is already registered"
        );
        conditions[key] = condition;
    }

    function _key(uint256 outputType, uint256 spendingTxType) private pure returns (bytes32) {
        return keccak256(abi.encode(outputType, spendingTxType));
    }
}
