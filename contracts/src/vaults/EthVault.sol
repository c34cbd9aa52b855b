// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PlasmaFramework} from "../PlasmaFramework.sol";
import {IEthDepositVerifier} from "../interfaces.sol";
import {Vault} from "./Vault.sol";

/// Holds ETH (protocol.md §11.2). There is no payable fallback: ETH enters only by deposit.
contract EthVault is Vault {
    uint256 public immutable safeGasStipend;

    event EthWithdrawn(address indexed receiver, uint256 amount);
    event WithdrawFailed(address indexed receiver, uint256 amount);

    constructor(PlasmaFramework _framework, uint256 _safeGasStipend) Vault(_framework) {
        safeGasStipend = _safeGasStipend;
    }

    function deposit(bytes calldata _depositTx) external payable {
        IEthDepositVerifier(_verifierOrRevert()).verify(_depositTx, msg.value, msg.sender);
        uint256 blknum = _submitDepositBlock(_depositTx);
        emit DepositCreated(msg.sender, blknum, address(0), msg.value);
    }

    /// Quirk Q5 (reproduced): a failed transfer is reported, not reverted; the ETH stays here.
    function withdraw(
        address payable receiver,
        uint256 amount
    ) external onlyFromNonQuarantinedExitGame {
        (bool ok, ) = receiver.call{gas: safeGasStipend, value: amount}("");
        if (ok) {
            emit EthWithdrawn(receiver, amount);
        } else {
            emit WithdrawFailed(receiver, amount);
        }
    }
}
