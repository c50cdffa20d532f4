// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {IVaultPortfolio} from "../../src/interfaces/IVaultPortfolio.sol";

/// @notice A contract that claims to be one of an owner's vaults: it answers `owner()` and `marketParams()` with
/// whatever it is told, and its `receiveCollateral` takes nothing, takes the collateral, or re-enters the source.
/// From it an attacker also calls a real vault's `receiveCollateral` as if it were a peer moving collateral.
contract FakePeer {
    enum Mode {
        TakeNothing,
        TakeAll,
        ReenterSource
    }

    address public owner;
    address public collateralToken;
    Mode public mode;

    constructor(address owner_, address collateralToken_) {
        owner = owner_;
        collateralToken = collateralToken_;
    }

    function setMode(Mode m) external {
        mode = m;
    }

    function marketParams() external view returns (MarketParams memory p) {
        p.collateralToken = collateralToken;
    }

    function receiveCollateral(uint256 amount) external {
        if (mode == Mode.TakeAll) IERC20(collateralToken).transferFrom(msg.sender, address(this), amount);
        if (mode == Mode.ReenterSource) IVaultPortfolio(msg.sender).moveCollateral(address(this), amount, block.timestamp);
    }

    /// @notice Pretends to move collateral into `vault`: approves it and calls its `receiveCollateral`.
    function pushInto(address vault, uint256 amount) external {
        IERC20(collateralToken).approve(vault, amount);
        IVaultPortfolio(vault).receiveCollateral(amount);
    }
}
