// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TxDecoder} from "../src/lib/TxDecoder.sol";
import {PosLib} from "../src/lib/PosLib.sol";
import {Merkle} from "../src/lib/Merkle.sol";
import {PaymentEip712} from "../src/lib/PaymentEip712.sol";
import {ExitIds} from "../src/lib/ExitIds.sol";

/// Exposes the internal libraries so tests can check decoding, hashing and ids by eth_call.
contract LibHarness {
    function decodePayment(
        bytes calldata txBytes
    )
        external
        pure
        returns (
            uint256 txType,
            bytes32[] memory inputs,
            TxDecoder.Output[] memory outputs,
            uint256 txData,
            bytes32 metaData
        )
    {
        TxDecoder.PaymentTx memory p = TxDecoder.decodePayment(txBytes);
        return (p.txType, p.inputs, p.outputs, p.txData, p.metaData);
    }

    function decodeGeneric(
        bytes calldata txBytes
    ) external pure returns (uint256 txType, uint256 outputCount, bytes32 metaData) {
        TxDecoder.GenericTx memory g = TxDecoder.decodeGeneric(txBytes);
        return (g.txType, g.outputs.length, g.metaData);
    }

    function decodePos(uint256 utxoPos) external pure returns (uint256, uint256, uint256) {
        PosLib.Pos memory p = PosLib.decode(utxoPos);
        return (p.blockNum, p.txIndex, p.outputIndex);
    }

    function checkMembership(
        bytes calldata txBytes,
        uint256 index,
        bytes32 root,
        bytes calldata proof
    ) external pure returns (bool) {
        return Merkle.checkMembership(Merkle.leaf(txBytes), index, root, proof);
    }

    function depositRoot(bytes calldata txBytes) external pure returns (bytes32) {
        return Merkle.depositRoot(txBytes);
    }

    function paymentDigest(
        bytes calldata txBytes,
        address verifyingContract
    ) external pure returns (bytes32) {
        return
            PaymentEip712.digest(
                TxDecoder.decodePayment(txBytes),
                PaymentEip712.domainSeparator(verifyingContract)
            );
    }

    function outputId(
        bool isDeposit,
        bytes calldata txBytes,
        uint256 oindex,
        uint256 utxoPos
    ) external pure returns (bytes32) {
        return ExitIds.outputId(isDeposit, txBytes, oindex, utxoPos);
    }
}
