// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RLPReader} from "./RLPReader.sol";

/// On-chain transaction decoders (protocol.md §3.1, §3.2, §3.7). `decodeGeneric` applies the
/// envelope rules every tx type must follow (R1–R6, F1–F9); `decodePayment` adds the payment rules
/// (F10–F20) in the order the v1.0.5 contracts check them, so the first violation names the same
/// revert string.
library TxDecoder {
    using RLPReader for RLPReader.RLPItem;

    uint256 internal constant MAX_INPUTS = 4;
    uint256 internal constant MAX_OUTPUTS = 4;

    struct GenericOutput {
        uint256 outputType;
        RLPReader.RLPItem data;
    }

    struct GenericTx {
        uint256 txType;
        RLPReader.RLPItem inputs;
        GenericOutput[] outputs;
        RLPReader.RLPItem txData;
        bytes32 metaData;
    }

    struct Output {
        uint256 outputType;
        address outputGuard;
        address token;
        uint256 amount;
    }

    struct PaymentTx {
        uint256 txType;
        bytes32[] inputs;
        Output[] outputs;
        uint256 txData;
        bytes32 metaData;
    }

    function decodeGeneric(bytes memory txBytes) internal pure returns (GenericTx memory g) {
        RLPReader.RLPItem[] memory items = RLPReader.toRlpItem(txBytes).toList();
        require(items.length == 5, "Invalid encoding of transaction");

        g.txType = items[0].toUint();
        require(g.txType > 0, "Transaction type must not be 0");

        RLPReader.RLPItem[] memory outs = items[2].toList();
        g.outputs = new GenericOutput[](outs.length);
        for (uint256 i = 0; i < outs.length; i++) {
            RLPReader.RLPItem[] memory o = outs[i].toList();
            require(o.length == 2, "Output must have 2 items");
            uint256 outputType = o[0].toUint();
            require(outputType != 0, "Output type must not be 0");
            g.outputs[i] = GenericOutput(outputType, o[1]);
        }

        g.inputs = items[1];
        g.txData = items[3];
        g.metaData = items[4].toBytes32();
    }

    function decodePayment(bytes memory txBytes) internal pure returns (PaymentTx memory p) {
        GenericTx memory g = decodeGeneric(txBytes);

        RLPReader.RLPItem[] memory ins = g.inputs.toList();
        require(ins.length <= MAX_INPUTS, "Transaction inputs num exceeds limit");
        require(g.outputs.length != 0, "Transaction cannot have 0 outputs");
        require(g.outputs.length <= MAX_OUTPUTS, "Transaction outputs num exceeds limit");

        p.txType = g.txType;
        p.metaData = g.metaData;

        p.inputs = new bytes32[](ins.length);
        for (uint256 i = 0; i < ins.length; i++) {
            bytes32 input = ins[i].toBytes32();
            require(input != bytes32(0), "Null input not allowed");
            p.inputs[i] = input;
        }

        p.outputs = new Output[](g.outputs.length);
        for (uint256 i = 0; i < g.outputs.length; i++) {
            p.outputs[i] = decodeOutput(g.outputs[i]);
        }

        require(g.txData.toUint() == 0, "txData must be 0");
    }

    /// A fungible-token output: data = [outputGuard, token, amount].
    function decodeOutput(GenericOutput memory o) internal pure returns (Output memory out) {
        RLPReader.RLPItem[] memory data = o.data.toList();
        require(data.length == 3, "Output data must have 3 items");
        out.outputType = o.outputType;
        out.outputGuard = data[0].toAddress();
        out.token = data[1].toAddress();
        out.amount = data[2].toUint();
        require(out.amount != 0, "Output amount must not be 0");
        require(out.outputGuard != address(0), "Output outputGuard must not be 0");
    }

    function getOutput(
        PaymentTx memory p,
        uint256 index
    ) internal pure returns (Output memory) {
        require(index < p.outputs.length, "Output index out of bounds");
        return p.outputs[index];
    }
}
