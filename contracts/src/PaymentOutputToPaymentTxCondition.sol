// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TxDecoder} from "./lib/TxDecoder.sol";
import {PaymentEip712} from "./lib/PaymentEip712.sol";
import {ECDSA} from "./lib/ECDSA.sol";

/// "Does this payment tx, at input `inputIndex`, spend the payment output at `utxoPos`?" — decided
/// by the owner's EIP-712 signature (protocol.md §12.3). Every failure reverts.
contract PaymentOutputToPaymentTxCondition {
    bytes32 private immutable domainSeparator;
    uint256 private immutable supportInputTxType;
    uint256 private immutable supportSpendingTxType;

    constructor(address framework, uint256 inputTxType, uint256 spendingTxType) {
        domainSeparator = PaymentEip712.domainSeparator(framework);
        supportInputTxType = inputTxType;
        supportSpendingTxType = spendingTxType;
    }

    /// Quirk Q15: an `inputIndex` beyond the spending tx's inputs fails without a reason string
    /// (a Solidity 0.8 index panic here, rather than v1.0.5's invalid opcode; the call still fails).
    function verify(
        bytes calldata inputTxBytes,
        uint256 utxoPos,
        bytes calldata spendingTxBytes,
        uint16 inputIndex,
        bytes calldata signature
    ) external view returns (bool) {
        TxDecoder.PaymentTx memory inputTx = TxDecoder.decodePayment(inputTxBytes);
        require(inputTx.txType == supportInputTxType, "Input tx is an unsupported payment tx type");

        TxDecoder.PaymentTx memory spendingTx = TxDecoder.decodePayment(spendingTxBytes);
        require(
            spendingTx.txType == supportSpendingTxType,
            "The spending tx is an unsupported payment tx type"
        );

        require(
            spendingTx.inputs[inputIndex] == bytes32(utxoPos),
            "Spending tx points to the incorrect output UTXO position"
        );

        address owner = TxDecoder.getOutput(inputTx, utxoPos % 10_000).outputGuard;
        address signer = ECDSA.recover(
            PaymentEip712.digest(spendingTx, domainSeparator),
            signature
        );
        require(signer != address(0), "Failed to recover the signer from the signature");
        require(owner == signer, "Tx is not signed correctly");
        return true;
    }
}
