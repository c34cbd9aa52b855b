// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// ERC-20 calls with the semantics and revert strings of OpenZeppelin 2.3.0 SafeERC20: tokens that
/// return nothing are accepted, tokens that return false are not.
library SafeErc20 {
    function safeTransfer(address token, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0xa9059cbb, to, amount));
    }

    function safeTransferFrom(address token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0x23b872dd, from, to, amount));
    }

    function _call(address token, bytes memory data) private {
        require(token.code.length > 0, "SafeERC20: call to non-contract");
        (bool success, bytes memory returndata) = token.call(data);
        require(success, "SafeERC20: low-level call failed");
        if (returndata.length > 0) {
            require(abi.decode(returndata, (bool)), "SafeERC20: ERC20 operation did not succeed");
        }
    }
}
