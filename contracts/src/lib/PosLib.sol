// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// UTXO positions (protocol.md §4.1): utxoPos = blknum·10^9 + txindex·10^4 + oindex.
library PosLib {
    uint256 internal constant BLOCK_OFFSET = 1_000_000_000;
    uint256 internal constant TX_OFFSET = 10_000;
    uint256 internal constant MAX_BLOCK_NUM = 180143985094; // ((2^54 - 1) - 65535) / 100000
    uint256 internal constant MAX_TX_INDEX = 65535;

    struct Pos {
        uint256 blockNum;
        uint256 txIndex;
        uint256 outputIndex;
    }

    function decode(uint256 utxoPos) internal pure returns (Pos memory pos) {
        pos.blockNum = utxoPos / BLOCK_OFFSET;
        pos.txIndex = (utxoPos % BLOCK_OFFSET) / TX_OFFSET;
        pos.outputIndex = utxoPos % TX_OFFSET;
        require(pos.blockNum <= MAX_BLOCK_NUM, "blockNum exceeds max size allowed in PlasmaFramework");
        require(pos.txIndex <= MAX_TX_INDEX, "txIndex exceeds the size of uint16");
    }

    /// The position of the output's transaction divided by 10^4 (= blknum·10^5 + txindex), the
    /// value exit priorities are ordered by (§7.3).
    function txPosValue(Pos memory pos) internal pure returns (uint256) {
        return (pos.blockNum * BLOCK_OFFSET + pos.txIndex * TX_OFFSET) / TX_OFFSET;
    }
}
