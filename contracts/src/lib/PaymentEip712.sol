// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TxDecoder} from "./TxDecoder.sol";
import {PosLib} from "./PosLib.sol";

/// EIP-712 digest of a payment transaction, domain version "1" without chainId (protocol.md §5).
library PaymentEip712 {
    bytes32 internal constant DOMAIN_TYPEHASH =
        0x36c25de3e541d5d970f66e4210d728721220fff5c077cc6cd008b3a0c62adab7;
    bytes32 internal constant INPUT_TYPEHASH =
        0x5f0e06e50b513a68a090818949172483acfec769d9b7756cad7c00b26b52178c;
    bytes32 internal constant OUTPUT_TYPEHASH =
        0x9fd642c2bbaa2f3431add55df5d3932807048fb41b6b07d65c59e0f9ad3a8eb7;
    bytes32 internal constant TX_TYPEHASH =
        0x241c8cf311f10d9082cd3aa8f912df0fe9d65d95571fa11b7ac8833ea3dcf40a;
    bytes32 internal constant NAME_HASH =
        0xa8bf9d8dd0b628d1a21b5ab0c1ca46ddd2eadfcdee87ba0bd2035cb14e459b6d;
    bytes32 internal constant VERSION_HASH =
        0xc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc6;
    bytes32 internal constant SALT =
        0xfad5c7f626d80f9256ef01929f3beb96e058b8b4b0e3fe52d84f054c0e2a7a83;
    bytes32 internal constant EMPTY_INPUT_HASH =
        0x1a5933eb0b3223b0500fbbe7039cab9badc006adda6cf3d337751412fd7a4b61;
    bytes32 internal constant EMPTY_OUTPUT_HASH =
        0x7ad3294754e2cfc48a946ab7f8ec5b7dc50fc8ecbc0236a020e5c9c0db60a98c;

    function domainSeparator(address verifyingContract) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, verifyingContract, SALT)
            );
    }

    function digest(
        TxDecoder.PaymentTx memory p,
        bytes32 separator
    ) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", separator, structHash(p)));
    }

    function structHash(TxDecoder.PaymentTx memory p) internal pure returns (bytes32) {
        bytes32[4] memory ins;
        bytes32[4] memory outs;
        for (uint256 i = 0; i < 4; i++) {
            ins[i] = i < p.inputs.length ? _hashInput(p.inputs[i]) : EMPTY_INPUT_HASH;
            outs[i] = i < p.outputs.length ? _hashOutput(p.outputs[i]) : EMPTY_OUTPUT_HASH;
        }
        return
            keccak256(
                abi.encode(
                    TX_TYPEHASH,
                    p.txType,
                    ins,
                    outs,
                    p.txData,
                    p.metaData
                )
            );
    }

    function _hashInput(bytes32 input) private pure returns (bytes32) {
        if (input == bytes32(0)) return EMPTY_INPUT_HASH;
        PosLib.Pos memory pos = PosLib.decode(uint256(input));
        return keccak256(abi.encode(INPUT_TYPEHASH, pos.blockNum, pos.txIndex, pos.outputIndex));
    }

    function _hashOutput(TxDecoder.Output memory o) private pure returns (bytes32) {
        if (o.amount == 0) return EMPTY_OUTPUT_HASH;
        return
            keccak256(
                abi.encode(OUTPUT_TYPEHASH, o.outputType, bytes20(o.outputGuard), o.token, o.amount)
            );
    }
}
