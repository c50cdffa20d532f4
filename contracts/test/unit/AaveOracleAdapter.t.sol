// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {AaveOracleAdapter} from "../../src/oracle/AaveOracleAdapter.sol";
import {IAaveOracle} from "../../src/interfaces/IAaveV3.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice The adapter turns two USD prices into Morpho's scale for every 6/8/18 decimals pairing, exactly, and
/// refuses a zero price of either asset.
contract AaveOracleAdapterTest is Test {
    StubAaveOracle internal oracle = new StubAaveOracle();

    function _adapter(uint8 collDec, uint8 loanDec) internal returns (AaveOracleAdapter a, TestToken c, TestToken l) {
        c = new TestToken("C", "C", collDec);
        l = new TestToken("L", "L", loanDec);
        a = new AaveOracleAdapter(IAaveOracle(address(oracle)), address(c), address(l));
    }

    function test_price_everyDecimalsPairing() public {
        uint8[3] memory decs = [6, 8, 18];
        for (uint256 i = 0; i < 3; i++) {
            for (uint256 j = 0; j < 3; j++) {
                (AaveOracleAdapter a, TestToken c, TestToken l) = _adapter(decs[i], decs[j]);
                oracle.set(address(c), 3000e8);
                oracle.set(address(l), 1e8);
                // One whole collateral token is worth 3000 whole loan tokens.
                uint256 value = 10 ** decs[i] * a.price() / 1e36;
                assertEq(value, 3000 * 10 ** decs[j]);
                assertEq(a.price(), 3000 * 10 ** (36 + uint256(decs[j]) - decs[i]));
            }
        }
    }

    function test_price_isTheRatioOfTheTwoUsdPrices() public {
        (AaveOracleAdapter a, TestToken c, TestToken l) = _adapter(18, 18);
        oracle.set(address(c), 3600e8); // stETH-like in USD
        oracle.set(address(l), 3000e8); // ETH in USD
        assertEq(a.price(), 1.2e36);
        assertEq(a.COLLATERAL(), address(c));
        assertEq(a.LOAN(), address(l));
        assertEq(address(a.ORACLE()), address(oracle));
    }

    function test_zeroPrice_reverts() public {
        (AaveOracleAdapter a, TestToken c, TestToken l) = _adapter(18, 6);
        oracle.set(address(l), 1e8);
        vm.expectRevert(abi.encodeWithSelector(AaveOracleAdapter.ZeroPrice.selector, address(c)));
        a.price();
        oracle.set(address(c), 3000e8);
        oracle.set(address(l), 0);
        vm.expectRevert(abi.encodeWithSelector(AaveOracleAdapter.ZeroPrice.selector, address(l)));
        a.price();
    }

    function testFuzz_price_roundsDownOnly(uint256 collPrice, uint256 loanPrice) public {
        collPrice = bound(collPrice, 1, 1e20);
        loanPrice = bound(loanPrice, 1, 1e20);
        (AaveOracleAdapter a, TestToken c, TestToken l) = _adapter(8, 6);
        oracle.set(address(c), collPrice);
        oracle.set(address(l), loanPrice);
        assertEq(a.price(), collPrice * 1e34 / loanPrice);
    }
}

contract StubAaveOracle {
    mapping(address => uint256) public getAssetPrice;

    function set(address asset, uint256 price) external {
        getAssetPrice[asset] = price;
    }

    function BASE_CURRENCY_UNIT() external pure returns (uint256) {
        return 1e8;
    }
}
