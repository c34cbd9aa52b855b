// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Strict RLP reader for the v1 transaction decoder (protocol.md §3.7, rules R1–R6 and the
/// scalar/fixed-size item rules F2–F5, F9, F14, F17). Items are views into memory: nothing is copied.
/// The revert strings are part of the client-visible interface and must not change.
library RLPReader {
    struct RLPItem {
        uint256 len;
        uint256 memPtr;
    }

    function toRlpItem(bytes memory data) internal pure returns (RLPItem memory) {
        uint256 ptr;
        assembly {
            ptr := add(data, 0x20)
        }
        return RLPItem(data.length, ptr);
    }

    function isList(RLPItem memory item) internal pure returns (bool) {
        if (item.len == 0) return false;
        uint256 ptr = item.memPtr;
        uint256 b0;
        assembly {
            b0 := byte(0, mload(ptr))
        }
        return b0 >= 0xc0;
    }

    /// R1–R3: the item must be a list whose header matches its length exactly, and whose items
    /// stay inside it. Every item's header is checked (R4–R6) while counting.
    function toList(RLPItem memory item) internal pure returns (RLPItem[] memory result) {
        require(isList(item), "Item is not a list");
        (uint256 listLen, uint256 offset) = decodeLengthAndOffset(item.memPtr);
        require(listLen == item.len, "Decoded RLP length for list is invalid");

        uint256 end = item.memPtr + item.len;
        uint256 ptr = item.memPtr + offset;
        uint256 count = 0;
        while (ptr < end) {
            (uint256 itemLen, ) = decodeLengthAndOffset(ptr);
            ptr += itemLen;
            require(
                ptr <= end,
                "Invalid decoded length of RLP item found during counting items in a list"
            );
            count++;
        }

        result = new RLPItem[](count);
        ptr = item.memPtr + offset;
        for (uint256 i = 0; i < count; i++) {
            (uint256 itemLen, ) = decodeLengthAndOffset(ptr);
            result[i] = RLPItem(itemLen, ptr);
            ptr += itemLen;
        }
    }

    /// A 32-byte string (encoded as a0 ‖ 32 bytes).
    function toBytes32(RLPItem memory item) internal pure returns (bytes32 result) {
        require(item.len == 33, "Item length must be 33");
        require(!isList(item), "Item must not be a list");
        uint256 ptr = item.memPtr + 1;
        assembly {
            result := mload(ptr)
        }
    }

    /// A 20-byte string (encoded as 94 ‖ 20 bytes).
    function toAddress(RLPItem memory item) internal pure returns (address result) {
        require(item.len == 21, "Item length must be 21");
        require(!isList(item), "Item must not be a list");
        uint256 ptr = item.memPtr + 1;
        assembly {
            result := shr(96, mload(ptr))
        }
    }

    /// A canonical unsigned scalar of at most 32 bytes.
    function toUint(RLPItem memory item) internal pure returns (uint256 result) {
        require(!isList(item), "Item must not be a list");
        require(item.len > 0 && item.len <= 33, "Item length must be between 1 and 33 bytes");
        (uint256 itemLen, uint256 offset) = decodeLengthAndOffset(item.memPtr);
        require(
            itemLen == item.len,
            "Decoded item length must be equal to the input data length"
        );
        uint256 dataLen = itemLen - offset;
        if (dataLen == 0) return 0;
        uint256 ptr = item.memPtr + offset;
        assembly {
            result := shr(mul(8, sub(32, dataLen)), mload(ptr))
        }
        require(!(dataLen == 1 && result == 0), "Scalar 0 should be encoded as 0x80");
        require(result >> ((dataLen - 1) * 8) != 0, "Leading zeros are invalid");
    }

    /// Returns the whole encoded length of the item at `ptr` (header included) and the header size.
    function decodeLengthAndOffset(uint256 ptr) internal pure returns (uint256, uint256) {
        uint256 b0;
        assembly {
            b0 := byte(0, mload(ptr))
        }
        if (b0 < 0x80) {
            return (1, 0);
        }
        if (b0 < 0xb8) {
            uint256 len = b0 - 0x80 + 1;
            if (len == 2) {
                uint256 b1;
                assembly {
                    b1 := byte(0, mload(add(ptr, 1)))
                }
                require(b1 >= 0x80, "Invalid short string encoding");
            }
            return (len, 1);
        }
        if (b0 < 0xc0) {
            (uint256 first, uint256 dataLen, uint256 lenLen) = _longLength(ptr, b0 - 0xb7);
            require(first != 0, "Invalid leading zeros in length of the length for a long string");
            require(dataLen > 55, "Invalid length for a long string");
            return (1 + lenLen + dataLen, 1 + lenLen);
        }
        if (b0 < 0xf8) {
            return (b0 - 0xc0 + 1, 1);
        }
        (uint256 firstL, uint256 dataLenL, uint256 lenLenL) = _longLength(ptr, b0 - 0xf7);
        require(firstL != 0, "Invalid leading zeros in length of the length for a long list");
        require(dataLenL > 55, "Invalid length for a long list");
        return (1 + lenLenL + dataLenL, 1 + lenLenL);
    }

    function _longLength(
        uint256 ptr,
        uint256 lenLen
    ) private pure returns (uint256 first, uint256 dataLen, uint256) {
        assembly {
            let w := mload(add(ptr, 1))
            first := byte(0, w)
            dataLen := shr(mul(8, sub(32, lenLen)), w)
        }
        return (first, dataLen, lenLen);
    }
}
