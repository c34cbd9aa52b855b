// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PlasmaFramework} from "../PlasmaFramework.sol";
import {IErc20DepositVerifier} from "../interfaces.sol";
import {Vault} from "./Vault.sol";
import {SafeErc20} from "../lib/SafeErc20.sol";

/// Holds ERC-20 tokens (protocol.md §11.3).
contract Erc20Vault is Vault {
    event Erc20Withdrawn(address indexed receiver, address indexed token, uint256 amount);

    constructor(PlasmaFramework _framework) Vault(_framework) {}

    /// Quirk Q18 (reproduced): the declared amount is recorded, not what actually arrived.
    function deposit(bytes calldata depositTx) external {
        (address owner, address token, uint256 amount) = IErc20DepositVerifier(
            _verifierOrRevert()
        ).verify(depositTx, msg.sender, address(this));
        SafeErc20.safeTransferFrom(token, owner, address(this), amount);
        uint256 blknum = _submitDepositBlock(depositTx);
        emit DepositCreated(msg.sender, blknum, token, amount);
    }

    /// Quirk Q5 (reproduced): a failing token reverts, and with it processExits.
    function withdraw(
        address receiver,
        address token,
        uint256 amount
    ) external onlyFromNonQuarantinedExitGame {
        SafeErc20.safeTransfer(token, receiver, amount);
        emit Erc20Withdrawn(receiver, token, amount);
    }
}
