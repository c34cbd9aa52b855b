// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Output ids, exit ids and exit priorities (protocol.md §7.1–§7.3).
library ExitIds {
    uint256 internal constant IFE_FLAG = 1 << 151;

    function outputId(
        bool isDeposit,
        bytes memory txBytes,
        uint256 oindex,
        uint256 utxoPos
    ) internal pure returns (bytes32) {
        if (isDeposit) return keccak256(abi.encodePacked(txBytes, oindex, utxoPos));
        return keccak256(abi.encodePacked(txBytes, oindex));
    }

    function standardExitId(
        bool isDeposit,
        bytes memory txBytes,
        uint256 utxoPos,
        uint256 oindex
    ) internal pure returns (uint160) {
        bytes32 h = isDeposit
            ? keccak256(abi.encodePacked(txBytes, utxoPos))
            : keccak256(txBytes);
        uint256 exitId = (uint256(h) >> 105) | (oindex << 152);
        require(exitId >> 160 == 0, "ExitId overflows");
        return uint160(exitId);
    }

    function inFlightExitId(bytes memory txBytes) internal pure returns (uint160) {
        return uint160((uint256(keccak256(txBytes)) >> 105) | IFE_FLAG);
    }

    function isStandardExit(uint160 exitId) internal pure returns (bool) {
        return uint256(exitId) & IFE_FLAG == 0;
    }

    /// Lower is earlier. Only the low 42 bits of exitableAt survive the shift (quirk Q24).
    function priority(
        uint64 exitableAt,
        uint256 txPosValue,
        uint160 exitId
    ) internal pure returns (uint256) {
        return (uint256(exitableAt) << 214) | (txPosValue << 160) | uint256(exitId);
    }

    function exitableAtOf(uint256 p) internal pure returns (uint256) {
        return p >> 214;
    }

    function exitIdOf(uint256 p) internal pure returns (uint160) {
        return uint160(p);
    }
}
