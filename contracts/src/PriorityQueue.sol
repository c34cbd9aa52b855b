// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Binary min-heap of exit priorities, one per (vault id, token) (protocol.md §10). Slot 0 of the
/// array is a permanent 0 sentinel. Clients read `heapList()` directly, so the heap layout (ties go
/// to the right child when sifting down) must match v1.0.5 exactly.
contract PriorityQueue {
    address public immutable framework;
    uint256[] private heap;

    constructor() {
        framework = msg.sender;
        heap.push(0);
    }

    modifier onlyFramework() {
        require(msg.sender == framework, "Caller address is unauthorized");
        _;
    }

    function heapList() external view returns (uint256[] memory) {
        return heap;
    }

    function currentSize() public view returns (uint256) {
        return heap.length - 1;
    }

    /// The v1.0.5 struct getter: `Queue { uint256[] heapList; uint256 currentSize; }` without the array.
    function queue() external view returns (uint256) {
        return heap.length - 1;
    }

    function getMin() external view returns (uint256) {
        require(heap.length > 1, "Queue is empty");
        return heap[1];
    }

    function insert(uint256 _element) external onlyFramework {
        heap.push(_element);
        uint256 i = heap.length - 1;
        while (i > 1) {
            uint256 parent = i / 2;
            uint256 p = heap[parent];
            if (_element >= p) break;
            heap[i] = p;
            i = parent;
        }
        heap[i] = _element;
    }

    function delMin() external onlyFramework returns (uint256 min) {
        uint256 len = heap.length;
        require(len > 1, "Queue is empty");
        min = heap[1];
        uint256 last = heap[len - 1];
        heap.pop();
        uint256 size = len - 2;
        if (size == 0) return min;

        uint256 i = 1;
        while (i * 2 <= size) {
            uint256 left = i * 2;
            uint256 mc = left;
            uint256 mcValue = heap[left];
            if (left + 1 <= size) {
                uint256 rightValue = heap[left + 1];
                // Ties go to the right child, as in v1.0.5.
                if (!(mcValue < rightValue)) {
                    mc = left + 1;
                    mcValue = rightValue;
                }
            }
            if (last <= mcValue) break;
            heap[i] = mcValue;
            i = mc;
        }
        heap[i] = last;
    }
}
