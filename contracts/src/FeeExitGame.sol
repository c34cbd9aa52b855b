// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Registered for tx type 3 so that fee transactions count as MoreVP (protocol.md §8.1). Fee
/// outputs can never be exited directly (quirk Q2), so it has no functions.
contract FeeExitGame {}
