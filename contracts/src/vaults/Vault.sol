// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PlasmaFramework} from "../PlasmaFramework.sol";
import {Merkle} from "../lib/Merkle.sol";

/// What both vaults share (protocol.md §11.1): the pluggable deposit verifier with its 2·MEP
/// switch-over delay, the one-leaf deposit block, and the "only safe exit games" guard.
abstract contract Vault {
    PlasmaFramework internal immutable framework;

    address[2] public depositVerifiers;
    uint256 public newDepositVerifierMaturityTimestamp = 2 ** 255;

    event SetDepositVerifierCalled(address nextDepositVerifier);
    event DepositCreated(
        address indexed depositor,
        uint256 indexed blknum,
        address indexed token,
        uint256 amount
    );

    constructor(PlasmaFramework _framework) {
        framework = _framework;
    }

    modifier onlyMaintainer() {
        require(msg.sender == framework.getMaintainer(), "Caller address is unauthorized");
        _;
    }

    modifier onlyFromNonQuarantinedExitGame() {
        require(
            framework.isExitGameSafeToUse(msg.sender),
            "Called from a non-registered or quarantined exit game contract"
        );
        _;
    }

    function setDepositVerifier(address _verifier) external onlyMaintainer {
        require(_verifier != address(0), "Cannot set an empty address as deposit verifier");
        if (depositVerifiers[0] != address(0)) {
            depositVerifiers[0] = getEffectiveDepositVerifier();
            depositVerifiers[1] = _verifier;
            newDepositVerifierMaturityTimestamp = block.timestamp + 2 * framework.minExitPeriod();
        } else {
            depositVerifiers[0] = _verifier;
        }
        emit SetDepositVerifierCalled(_verifier);
    }

    function getEffectiveDepositVerifier() public view returns (address) {
        if (block.timestamp < newDepositVerifierMaturityTimestamp) {
            return depositVerifiers[0];
        }
        return depositVerifiers[1];
    }

    function _verifierOrRevert() internal view returns (address verifier) {
        verifier = getEffectiveDepositVerifier();
        require(verifier != address(0), "Deposit verifier has not been set");
    }

    function _submitDepositBlock(bytes memory depositTx) internal returns (uint256) {
        return framework.submitDepositBlock(Merkle.depositRoot(depositTx));
    }
}
