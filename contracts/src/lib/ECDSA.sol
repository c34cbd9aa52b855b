// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Signature recovery with the semantics of OpenZeppelin 2.3.0 (protocol.md §5.3): a malformed
/// signature (length ≠ 65, high s, v ∉ {27, 28}) yields the zero address instead of reverting.
library ECDSA {
    uint256 private constant HALF_N =
        0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    function recover(bytes32 hash, bytes memory signature) internal pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        if (uint256(s) > HALF_N) return address(0);
        if (v != 27 && v != 28) return address(0);
        return ecrecover(hash, v, r, s);
    }
}
