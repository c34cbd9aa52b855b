// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// A contract account for tests: forwards calls and can refuse incoming ETH, to exercise the
/// 2300-gas payout paths (WithdrawFailed, BondReturnFailed, SafeEthTransfer).
contract TestWallet {
    bool public rejectEth;

    function setRejectEth(bool reject) external {
        rejectEth = reject;
    }

    function exec(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    /// Several calls in one transaction (to probe the transient re-entrancy mutex).
    function execBatch(address target, bytes[] calldata data) external {
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, bytes memory ret) = target.call(data[i]);
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }

    receive() external payable {
        require(!rejectEth, "rejected");
    }
}
