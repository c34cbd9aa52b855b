// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TxDecoder} from "./lib/TxDecoder.sol";
import {IERC20Minimal} from "./interfaces.sol";

/// Deposit transaction checks (protocol.md §11.4): a payment with no inputs and exactly one output
/// owned by the depositor, for the amount and token actually deposited.
abstract contract DepositVerifierBase {
    uint256 public immutable depositTxType;
    uint256 public immutable supportedOutputType;

    constructor(uint256 txType, uint256 outputType) {
        depositTxType = txType;
        supportedOutputType = outputType;
    }

    function _decodeDeposit(
        bytes calldata depositTx
    ) internal view returns (TxDecoder.Output memory) {
        TxDecoder.PaymentTx memory p = TxDecoder.decodePayment(depositTx);
        require(p.txType == depositTxType, "Invalid transaction type");
        require(p.inputs.length == 0, "Deposit must have no inputs");
        require(p.outputs.length == 1, "Deposit must have exactly one output");
        return p.outputs[0];
    }
}

contract EthDepositVerifier is DepositVerifierBase {
    constructor(uint256 txType, uint256 outputType) DepositVerifierBase(txType, outputType) {}

    function verify(bytes calldata depositTx, uint256 amount, address sender) external view {
        TxDecoder.Output memory out = _decodeDeposit(depositTx);
        require(out.amount == amount, "Deposited value must match sent amount");
        require(out.token == address(0), "Output requires correct currency (ETH)");
        require(out.outputType == supportedOutputType, "Invalid output type");
        require(out.outputGuard == sender, "Depositor's address must match sender's address");
    }
}

contract Erc20DepositVerifier is DepositVerifierBase {
    constructor(uint256 txType, uint256 outputType) DepositVerifierBase(txType, outputType) {}

    function verify(
        bytes calldata depositTx,
        address sender,
        address vault
    ) external view returns (address owner, address token, uint256 amount) {
        TxDecoder.Output memory out = _decodeDeposit(depositTx);
        require(out.token != address(0), "Invalid output currency (ETH)");
        require(out.outputType == supportedOutputType, "Invalid output type");
        require(out.outputGuard == sender, "Depositor's address must match sender's address");
        require(
            IERC20Minimal(out.token).allowance(out.outputGuard, vault) >= out.amount,
            "Tokens have not been approved"
        );
        return (out.outputGuard, out.token, out.amount);
    }
}
