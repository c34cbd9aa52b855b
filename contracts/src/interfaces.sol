// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// The narrow interfaces the contracts use to talk to each other.

interface IExitProcessor {
    function processExit(uint160 exitId, uint256 vaultId, address token) external;
}

interface IEthDepositVerifier {
    function verify(bytes calldata depositTx, uint256 amount, address sender) external view;
}

interface IErc20DepositVerifier {
    function verify(
        bytes calldata depositTx,
        address sender,
        address vault
    ) external view returns (address owner, address token, uint256 amount);
}

interface ISpendingCondition {
    function verify(
        bytes calldata inputTx,
        uint256 utxoPos,
        bytes calldata spendingTx,
        uint16 inputIndex,
        bytes calldata witness
    ) external view returns (bool);
}

interface IERC20Minimal {
    function allowance(address owner, address spender) external view returns (uint256);
}
