// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TxDecoder} from "./lib/TxDecoder.sol";

/// Σ inputs ≥ Σ outputs for every token the outputs use (protocol.md §12.5); tokens that appear
/// only among the inputs are the fee. Used by in-flight exit start.
contract PaymentTransactionStateTransitionVerifier {
    function isCorrectStateTransition(
        bytes calldata txBytes,
        bytes[] calldata inputTxs,
        uint16[] calldata outputIndexOfInputTxs
    ) external pure returns (bool) {
        if (inputTxs.length != outputIndexOfInputTxs.length) return false;

        TxDecoder.Output[] memory inputs = new TxDecoder.Output[](inputTxs.length);
        for (uint256 i = 0; i < inputTxs.length; i++) {
            TxDecoder.GenericTx memory g = TxDecoder.decodeGeneric(inputTxs[i]);
            uint16 index = outputIndexOfInputTxs[i];
            require(index < g.outputs.length, "Output index out of bounds");
            inputs[i] = TxDecoder.decodeOutput(g.outputs[index]);
        }

        TxDecoder.PaymentTx memory p = TxDecoder.decodePayment(txBytes);
        for (uint256 i = 0; i < p.outputs.length; i++) {
            address token = p.outputs[i].token;
            uint256 inSum = 0;
            uint256 outSum = 0;
            for (uint256 j = 0; j < inputs.length; j++) {
                if (inputs[j].token == token) inSum = _add(inSum, inputs[j].amount);
            }
            for (uint256 j = 0; j < p.outputs.length; j++) {
                if (p.outputs[j].token == token) outSum = _add(outSum, p.outputs[j].amount);
            }
            if (inSum < outSum) return false;
        }
        return true;
    }

    function _add(uint256 a, uint256 b) private pure returns (uint256 c) {
        unchecked {
            c = a + b;
        }
        require(c >= a, "SafeMath: addition overflow");
    }
}
