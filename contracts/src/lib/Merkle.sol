// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Merkle tree of height 16 with domain-separated leaves and nodes (protocol.md §6):
/// leaf = keccak(0x00 ‖ tx), node = keccak(0x01 ‖ left ‖ right).
library Merkle {
    bytes32 internal constant Z0 = 0xf39a869f62e75cf5f0bf914688a6b289caf2049435d8e68c5c5e6d05e44913f3;
    bytes32 internal constant Z1 = 0x4ed5c02d6d48c8932486c99d3ad999e5d8949dc3be3b3058cc2979690c3e3a62;
    bytes32 internal constant Z2 = 0x1c792b14bf66f82af36f00f5fba7014fa0c1e2ff3c7c273bfe523c1acf67dc3f;
    bytes32 internal constant Z3 = 0x5fa080a686a5a0d05c3d4822fd54d632dc9cc04b1616046eba2ce499eb9af79f;
    bytes32 internal constant Z4 = 0x5eb949690a0404abf4cebafc7cfffa382191b7dd9e7df778581e6fb78efab35f;
    bytes32 internal constant Z5 = 0xd364c9d5dadad4569b6dd47f7feabafa3571f842434425548335ac6e690dd071;
    bytes32 internal constant Z6 = 0x68d8bc5b77979c1a6702334f529f5783f79e942fd2cd03f6e55ac2cf496e849f;
    bytes32 internal constant Z7 = 0xde9c446fab46a8d27db1e3100f275a777d385b44e3cbc045cabac9da36cae040;
    bytes32 internal constant Z8 = 0xad516082324c96127cf29f4535eb5b7ebacfe2a1d6d3aab8ec0483d32079a859;
    bytes32 internal constant Z9 = 0xff70f9215970a8beebb1c164c474e82438174c8eeb6fbc8cb4594b88c9448f1d;
    bytes32 internal constant Z10 = 0x40b09beaecac5b45db6e41434a122b695c5a85862d8eae40b3268f6f37e41433;
    bytes32 internal constant Z11 = 0x7be38eba7ab5bbf303d01f4b7ae07fd73edc2f3be05e43948a34418a3272509c;
    bytes32 internal constant Z12 = 0x43c2811a821e5c982ba51874ac7dc9dd79a80cc2f05f6f664c9dbb2e45443513;
    bytes32 internal constant Z13 = 0x7da06ce44de45532a56a3a7007a2d0c6b435f726f95104bfa6e707046fc154ba;
    bytes32 internal constant Z14 = 0xe91898d03a1a0ac6f9b45e471646e2555ac79e3fe87eb1781e26f20500240c37;
    bytes32 internal constant Z15 = 0x9274fe91096e60d1545a8045571fdab9b530d0d6e7e8746e78bf9f20f4e86f06;

    function leaf(bytes memory txBytes) internal pure returns (bytes32 h) {
        return keccak256(abi.encodePacked(bytes1(0x00), txBytes));
    }

    function node(bytes32 left, bytes32 right) internal pure returns (bytes32 h) {
        assembly {
            let m := mload(0x40)
            mstore(m, 0x0100000000000000000000000000000000000000000000000000000000000000)
            mstore(add(m, 1), left)
            mstore(add(m, 33), right)
            h := keccak256(m, 65)
        }
    }

    /// Root of a height-16 tree whose only leaf (slot 0) is `txBytes` (§6.4).
    function depositRoot(bytes memory txBytes) internal pure returns (bytes32 h) {
        h = leaf(txBytes);
        h = node(h, Z0);
        h = node(h, Z1);
        h = node(h, Z2);
        h = node(h, Z3);
        h = node(h, Z4);
        h = node(h, Z5);
        h = node(h, Z6);
        h = node(h, Z7);
        h = node(h, Z8);
        h = node(h, Z9);
        h = node(h, Z10);
        h = node(h, Z11);
        h = node(h, Z12);
        h = node(h, Z13);
        h = node(h, Z14);
        h = node(h, Z15);
    }

    /// §6.3. A root mismatch is not a revert: callers name their own error.
    function checkMembership(
        bytes32 leafHash,
        uint256 index,
        bytes32 rootHash,
        bytes memory proof
    ) internal pure returns (bool) {
        require(proof.length != 0, "Merkle proof must not be empty");
        require(proof.length % 32 == 0, "Length of Merkle proof must be a multiple of 32");
        uint256 levels = proof.length / 32;
        require(levels >= 256 || (index >> levels) == 0, "Index does not match the length of the proof");

        bytes32 h = leafHash;
        for (uint256 i = 0; i < levels; i++) {
            bytes32 e;
            assembly {
                e := mload(add(proof, add(32, mul(i, 32))))
            }
            h = (index & 1 == 0) ? node(h, e) : node(e, h);
            index >>= 1;
        }
        return h == rootHash;
    }
}
