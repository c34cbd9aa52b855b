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

    receive() external payable {
        require(!rejectEth, "rejected");
    }
}
