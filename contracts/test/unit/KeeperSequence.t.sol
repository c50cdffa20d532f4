// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";
import {Vm} from "forge-std/Vm.sol";
import {Id, IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {GasBurner} from "../utils/HostileMarketParts.sol";
import {IUniswapV3Pool} from "../utils/UniswapInterfaces.sol";
import {KeeperSequence} from "../../src/keeper/KeeperSequence.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";

/// @notice Answers any call with `size` bytes of zeros, returned or reverted: a target that tries to make its
/// caller copy (and pay memory for) a megabyte.
contract ReturnBomb {
    function fire(uint256 size, bool asRevert) external pure {
        assembly ("memory-safe") {
            if asRevert { revert(0, size) }
            return(0, size)
        }
    }
}

/// @notice Holds one flag in transient storage: set in one call, still there in the next only when both calls run in
/// the same transaction.
contract TransientFlag {
    function set() external {
        assembly ("memory-safe") {
            tstore(0, 1)
        }
    }

    function get() external view returns (uint256 v) {
        assembly ("memory-safe") {
            v := tload(0)
        }
    }
}

/// @notice KeeperSequence is what the keeper's one eth_call of the block runs, its code placed at the keeper's
/// own address. The keeper sends the calls that succeeded there as separate transactions in the same order, so the
/// sequence must judge each call exactly as a transaction of its own, sent by the keeper after the ones before
/// it, would be judged. This file proves that on real vaults selling into real Uniswap pools:
///
/// - a deleverage run through the sequence is the keeper's own call: same return data, same events, the same
///   storage writes in every contract and the same vault, market and pool state as the direct call
///   (`test_deleverage_isTheKeepersOwnCall`, and a top-up likewise);
/// - calls see the state the earlier ones left: the k-th sale into a pool gets less than alone; a sale pushed under
///   its oracle floor by the ones before it fails alone with the vault's own error, changes nothing (the pool and
///   its position are read before and after it inside the same sequence), and the sales after it get exactly what
///   they get when it is left out (`test_salesIntoOnePool_eachSeesTheOneBefore`);
/// - for any sale sizes over two to five vaults on either pool, the sequence's verdicts and return data, events
///   and end state equal the same calls made one after another by the keeper (`testFuzz_sequenceEqualsCallsInTurn`),
///   and equal them made as transactions of their own, transient storage and warm accounts fresh for each
///   (`testFuzz_sequenceEqualsSeparateTransactions`, run isolated);
/// - hostile targets: a megabyte of return or revert data costs the sequence MAX_RETURN bytes and the calls after
///   it still run; a target that burns all the gas it gets fails alone when the sequence has the gas of a block
///   (the 63/64 rule leaves the calls after it 1/64 of the gas), and starves them when it does not, a starved sale
///   failing with whatever its innermost call made of the shortage (Uniswap's `TF`), not "out of gas"; a router
///   calling `run` on the keeper's address from inside its swap, for its own vault or another, does nothing and
///   changes no verdict of the calls after it; mismatched arrays revert with `LengthMismatch`;
/// - gas: a deleverage costs the same inside the sequence as called directly, within a few thousand
///   (`test_gas_deleverageInsideTheSequenceAndDirect` prints both).
///
/// A route that calls the keeper's address from inside its swap meets what it meets on chain, an account without code
/// (`test_reentry_*`): in the simulation the keeper's address has code, and before the sequence ran for its keeper
/// alone such a route could run calls as the keeper there and nowhere else, selling another vault inside its swap and
/// so changing what the simulation reported for that vault's own call after it. What no contract at the keeper's
/// address can prevent: a route that looks for code there (or anything else that tells a simulation from a block)
/// and behaves differently in the eth_call than on chain.
contract KeeperSequenceTest is VaultFixture {
    using MarketParamsLib for MarketParams;

    uint256 internal constant SELL = 2e18;
    /// The eth_call budget the test gives the sequence: one block.
    uint256 internal constant BLOCK_GAS = 30_000_000;

    UnwindVault[] internal vaults;
    KeeperSequence internal seq;
    TransientFlag internal flag;

    function setUp() public {
        setUpVault();
        vaults.push(vault);
        for (uint256 i = 1; i < 5; i++) {
            UnwindVault v = openVault(makeAddr(string.concat("owner", vm.toString(i))), 10e18, 7500);
            allowUniswap(v);
            vm.startPrank(v.owner());
            v.setPolicy(defaultPolicy());
            v.setKeeper(keeper, true);
            vm.stopPrank();
            vaults.push(v);
        }
        movePrice(CRASH_PRICE); // 75% -> 83.3% for all five
        vm.etch(keeper, type(KeeperSequence).runtimeCode);
        seq = KeeperSequence(keeper);
        flag = new TransientFlag();
    }

    // ---------------------------------------------------------------------------------------------
    // 1. One call through the sequence is the keeper's own call
    // ---------------------------------------------------------------------------------------------

    function test_deleverage_isTheKeepersOwnCall() public {
        _assertSameAsDirect(address(vault), _v3Sale(vault, SELL));
        assertEq(collateralOf(address(vault)), 10e18 - SELL, "the sale happened");
    }

    function test_topUp_isTheKeepersOwnCall() public {
        loanToken.mint(address(vault), 5000e6);
        _assertSameAsDirect(address(vault), abi.encodeCall(UnwindVault.topUp, (4000e6, block.timestamp, 10e6)));
        assertEq(loanToken.balanceOf(keeper), 10e6, "the keeper address is paid as on chain");
    }

    function test_refusal_isTheKeepersOwnRefusal() public {
        movePrice(3000e8); // back under the trigger
        _assertSameAsDirect(address(vault), _v3Sale(vault, SELL));
    }

    /// @dev Runs `data` on `target` directly from the keeper, then (from the same state) through the sequence, and
    /// requires the same verdict, return data, events, storage writes and end state.
    function _assertSameAsDirect(address target, bytes memory data) internal {
        uint256 snap = vm.snapshotState();
        vm.recordLogs();
        vm.startStateDiffRecording();
        vm.prank(keeper);
        (bool okDirect, bytes memory retDirect) = target.call(data);
        bytes32[] memory writesDirect = _writes(vm.stopAndReturnStateDiff());
        Vm.Log[] memory logsDirect = vm.getRecordedLogs();
        bytes32 stateDirect = _state();
        vm.revertToState(snap);

        (address[] memory targets, bytes[] memory calls) = _one(target, data);
        vm.recordLogs();
        vm.startStateDiffRecording();
        (bool[] memory ok,, bytes[] memory ret) = _run(targets, calls);
        bytes32[] memory writesSeq = _writes(vm.stopAndReturnStateDiff());
        Vm.Log[] memory logsSeq = vm.getRecordedLogs();

        assertEq(ok[0], okDirect, "verdict");
        assertEq(ret[0], retDirect, "return data");
        assertLe(retDirect.length, seq.MAX_RETURN());
        _assertSameLogs(logsSeq, logsDirect);
        assertEq(writesSeq, writesDirect, "storage writes, in order");
        assertEq(_state(), stateDirect, "vault, market and pool state");
    }

    // ---------------------------------------------------------------------------------------------
    // 2. Several sales into one pool
    // ---------------------------------------------------------------------------------------------

    /// A and B sell 1 token each, C 1.5 (which alone clears its 1% floor, after A and B's 0.6% move it does not),
    /// D 0.3 (which clears its floor after A and B). Between them the pool and C's position are read.
    function test_salesIntoOnePool_eachSeesTheOneBefore() public {
        (uint256 a, uint256 c, uint256 d) = (1e18, 1.5e18, 0.3e18);
        uint256 aloneA = quoteV3(a);
        uint256 aloneD = quoteV3(d);
        assertGe(aloneA, requiredOf(a));
        assertGe(quoteV3(c), requiredOf(c), "C alone clears its floor");
        Id id = marketParams.id();

        address[] memory targets = new address[](8);
        bytes[] memory calls = new bytes[](8);
        (targets[0], calls[0]) = (address(vaults[0]), _v3Sale(vaults[0], a));
        (targets[1], calls[1]) = (address(vaults[1]), _v3Sale(vaults[1], a));
        (targets[2], calls[2]) = (address(v3Pool), abi.encodeCall(IUniswapV3Pool.slot0, ()));
        (targets[3], calls[3]) = (address(morpho), abi.encodeCall(IMorpho.position, (id, address(vaults[2]))));
        (targets[4], calls[4]) = (address(vaults[2]), _v3Sale(vaults[2], c));
        (targets[5], calls[5]) = (targets[2], calls[2]);
        (targets[6], calls[6]) = (targets[3], calls[3]);
        (targets[7], calls[7]) = (address(vaults[3]), _v3Sale(vaults[3], d));

        uint256 snap = vm.snapshotState();
        (bool[] memory ok,, bytes[] memory ret) = _run(targets, calls);

        assertTrue(ok[0] && ok[1] && ok[2] && ok[3] && ok[5] && ok[6] && ok[7], "all but C succeed");
        (, uint256 proceedsA) = abi.decode(ret[0], (uint256, uint256));
        (, uint256 proceedsB) = abi.decode(ret[1], (uint256, uint256));
        (, uint256 proceedsD) = abi.decode(ret[7], (uint256, uint256));
        assertEq(proceedsA, aloneA, "the first sale gets what it gets alone");
        assertLt(proceedsB, proceedsA, "the second meets the pool the first moved");
        assertLt(proceedsD, aloneD, "the last meets the pool A and B moved");

        assertFalse(ok[4], "C fails");
        assertEq(bytes4(ret[4]), IUnwindVault.InsufficientProceeds.selector, "with the vault's own error");
        (uint256 received, uint256 required) = _errorArgs(ret[4]);
        assertLt(received, required);
        assertEq(ret[5], ret[2], "C left the pool as it found it");
        assertEq(ret[6], ret[3], "and its position");
        assertEq(collateralOf(address(vaults[2])), 10e18);
        console.log("C: received %s, required %s", received, required);

        // Without C, D gets exactly the same: the failed call changed nothing the later ones can see.
        vm.revertToState(snap);
        address[] memory t3 = new address[](3);
        bytes[] memory c3 = new bytes[](3);
        (t3[0], c3[0]) = (targets[0], calls[0]);
        (t3[1], c3[1]) = (targets[1], calls[1]);
        (t3[2], c3[2]) = (targets[7], calls[7]);
        (bool[] memory ok3,, bytes[] memory ret3) = _run(t3, c3);
        assertTrue(ok3[0] && ok3[1] && ok3[2]);
        assertEq(ret3[2], ret[7], "D's result does not depend on C's failed attempt");
    }

    // ---------------------------------------------------------------------------------------------
    // 3. The sequence equals the calls made in turn
    // ---------------------------------------------------------------------------------------------

    /// For any sizes (0 to 3 tokens, 0 being refused as ZeroAmount), on the V3 or the V2 pool, for two to five
    /// vaults in a random order of routes: the same verdicts, return data, events and end state.
    function testFuzz_sequenceEqualsCallsInTurn(uint8 count, uint64[5] memory sizes, uint8 routes) public {
        _sequenceEqualsCallsInTurn(count, sizes, routes);
    }

    /// The same with every call of the test run as a transaction of its own (`isolate`): transient storage (the
    /// vaults' locks and callback flags) and warm accounts start fresh for each direct call, as on chain, while the
    /// sequence runs all of them in one.
    /// forge-config: default.isolate = true
    /// forge-config: default.fuzz.runs = 64
    /// forge-config: deep.isolate = true
    /// forge-config: deep.fuzz.runs = 500
    /// forge-config: random.isolate = true
    /// forge-config: random.fuzz.runs = 500
    function testFuzz_sequenceEqualsSeparateTransactions(uint8 count, uint64[5] memory sizes, uint8 routes) public {
        flag.set();
        assertEq(flag.get(), 0, "each call of this test is a transaction of its own");
        _sequenceEqualsCallsInTurn(count, sizes, routes);
    }

    function _sequenceEqualsCallsInTurn(uint8 count, uint64[5] memory sizes, uint8 routes) internal {
        uint256 n = _bound(count, 2, 5);
        address[] memory targets = new address[](n);
        bytes[] memory calls = new bytes[](n);
        for (uint256 i; i < n; i++) {
            uint256 sell = _bound(sizes[i], 0, 3e18 / 1e9) * 1e9;
            targets[i] = address(vaults[i]);
            calls[i] = (routes >> i) & 1 == 0 ? _v3Sale(vaults[i], sell) : _v2Sale(vaults[i], sell);
        }

        uint256 snap = vm.snapshotState();
        vm.recordLogs();
        bool[] memory okDirect = new bool[](n);
        bytes[] memory retDirect = new bytes[](n);
        for (uint256 i; i < n; i++) {
            vm.prank(keeper);
            (okDirect[i], retDirect[i]) = targets[i].call(calls[i]);
        }
        Vm.Log[] memory logsDirect = vm.getRecordedLogs();
        bytes32 stateDirect = _stateOfAll(n);
        vm.revertToState(snap);

        vm.recordLogs();
        (bool[] memory ok,, bytes[] memory ret) = _run(targets, calls);
        Vm.Log[] memory logsSeq = vm.getRecordedLogs();
        for (uint256 i; i < n; i++) {
            assertEq(ok[i], okDirect[i], "verdict");
            assertEq(ret[i], retDirect[i], "return data");
        }
        _assertSameLogs(logsSeq, logsDirect);
        assertEq(_stateOfAll(n), stateDirect, "end state");
    }

    // ---------------------------------------------------------------------------------------------
    // 4. Hostile targets
    // ---------------------------------------------------------------------------------------------

    /// A megabyte returned and a megabyte reverted: each kept to MAX_RETURN bytes, and what the sequence itself
    /// spends around such a call (all but the callee's own gas) is what it spends around a 32-byte answer.
    function test_hugeReturnData_isCappedAndTheNextCallRuns() public {
        ReturnBomb bomb = new ReturnBomb();
        uint256 mb = 1 << 20;
        address[] memory targets = new address[](3);
        bytes[] memory calls = new bytes[](3);
        (targets[0], calls[0]) = (address(bomb), abi.encodeCall(ReturnBomb.fire, (mb, false)));
        (targets[1], calls[1]) = (address(bomb), abi.encodeCall(ReturnBomb.fire, (mb, true)));
        (targets[2], calls[2]) = (address(vault), _v3Sale(vault, SELL));
        bytes memory alone = _aloneResult(address(vault), calls[2]);

        (bool[] memory ok,, bytes[] memory ret) = _run(targets, calls);
        assertTrue(ok[0]);
        assertFalse(ok[1]);
        assertEq(ret[0].length, seq.MAX_RETURN());
        assertEq(ret[1].length, seq.MAX_RETURN());
        assertTrue(ok[2], "the sale after them runs");
        assertEq(ret[2], alone, "and gets what it gets alone");

        uint256 overheadSmall = _overheadAround(address(bomb), abi.encodeCall(ReturnBomb.fire, (32, false)));
        uint256 overheadHuge = _overheadAround(address(bomb), abi.encodeCall(ReturnBomb.fire, (mb, false)));
        uint256 overheadHugeRevert = _overheadAround(address(bomb), abi.encodeCall(ReturnBomb.fire, (mb, true)));
        console.log(
            "sequence overhead around one call: 32 B %s, 1 MB returned %s, 1 MB reverted %s",
            overheadSmall,
            overheadHuge,
            overheadHugeRevert
        );
        // Copying a megabyte would cost over 98,000 gas (3 a word) plus its memory; 480 more bytes cost a few hundred.
        assertLt(overheadHuge, overheadSmall + 2000);
        assertLt(overheadHugeRevert, overheadSmall + 2000);
    }

    /// A target that burns all gas gets 63/64 of what the sequence has left (EIP-150); the sequence keeps 1/64.
    /// With the gas of a block (30M) that 1/64 is ~470k, enough for a deleverage after it: the burner fails alone.
    function test_gasBurner_failsAloneWithABlocksGas() public {
        GasBurner burner = new GasBurner();
        (address[] memory targets, bytes[] memory calls) =
            _two(address(burner), hex"00", address(vault), _v3Sale(vault, SELL));
        bytes memory alone = _aloneResult(address(vault), calls[1]);

        (bool[] memory ok, uint256[] memory gasUsed, bytes[] memory ret) = _run(targets, calls);
        assertFalse(ok[0]);
        assertEq(ret[0].length, 0, "out of gas leaves no revert data");
        assertGt(gasUsed[0], BLOCK_GAS * 62 / 64, "the burner took 63/64");
        assertTrue(ok[1], "the sale after it still runs");
        assertEq(ret[1], alone);
        console.log("burner used %s of %s; the sale after it used %s", gasUsed[0], BLOCK_GAS, gasUsed[1]);
    }

    /// With less gas the 1/64 the burner leaves cannot carry the calls after it. At 15M the sale after the burner gets
    /// ~217k of the ~270k it needs and fails, the sequence still answering; at 3M the
    /// sequence itself runs out after the burner and answers nothing (the keeper then checks each call alone). Either
    /// way a starved call is reported failed, never done: the keeper's eth_call must carry ~64 times what the calls
    /// after a burner need, and a node's default (the block's gas limit, geth's 50M cap) does.
    function test_gasBurner_starvesTheCallsAfterItWithLittleGas() public {
        GasBurner burner = new GasBurner();
        (address[] memory targets, bytes[] memory calls) =
            _two(address(burner), hex"00", address(vault), _v3Sale(vault, SELL));

        (bool[] memory ok, uint256[] memory gasUsed, bytes[] memory ret) = _run(targets, calls, 15_000_000);
        assertFalse(ok[0]);
        assertFalse(ok[1], "the sale after the burner is starved");
        // Starved, the sale does not fail "out of gas": the pool's token transfer runs out, Uniswap's TransferHelper
        // reports that as a failed transfer, and the vault passes it up. A starved call can read like a route refusal.
        assertEq(ret[1], abi.encodeWithSignature("Error(string)", "TF"), "reported as Uniswap's failed transfer");
        console.log("at 15M: the sale after the burner got %s and failed", gasUsed[1]);

        bool answered;
        vm.prank(keeper);
        try seq.run{gas: 3_000_000}(targets, calls) returns (bool[] memory, uint256[] memory, bytes[] memory) {
            answered = true;
        } catch {}
        assertFalse(answered, "at 3M the sequence itself runs out of gas");
        assertEq(collateralOf(address(vault)), 10e18, "no sale happened");
    }

    /// The vault's router calls `run` on the keeper's address from inside the swap, asking for a second sale of the
    /// same vault. It meets what it meets on chain: success, no data, nothing done. (Had the sequence run it, the
    /// vault's own lock would have refused it: `UnwindVault.Reentrancy.t.sol`.) The call after the hostile sale (a
    /// second sale, refused because the first brought the vault under its trigger) is refused exactly as without the
    /// re-entry, and the vault sold once.
    function test_reentry_sameVault_changesNoLaterVerdict() public {
        HostileRouter router = _hostileRouterOn(vault);
        HostileRouter.Plan memory p = _reenteringPlan(address(vault), _v3Sale(vault, 3e18));
        (address[] memory targets, bytes[] memory calls) =
            _two(address(vault), _hostileSale(router, SELL), address(vault), _v3Sale(vault, 1e18));

        // Without the re-entry first.
        uint256 snap = vm.snapshotState();
        HostileRouter.Plan memory quiet = _reenteringPlan(address(vault), ""); // a copy: memory structs alias
        (quiet.reenterTarget, quiet.reenterData) = (address(0), "");
        router.setPlan(quiet);
        (bool[] memory okQuiet,, bytes[] memory retQuiet) = _run(targets, calls);
        bytes32 stateQuiet = _state();
        vm.revertToState(snap);

        router.setPlan(p);
        uint256 debtAfter = debtAfterRepay(address(vault), floorOf(SELL));
        (bool[] memory ok,, bytes[] memory ret) = _run(targets, calls);

        assertTrue(router.breached(), "the router's call to the keeper's address succeeded");
        assertEq(router.lastReentryError().length, 0, "and returned nothing, as an account without code does");
        assertTrue(ok[0] && okQuiet[0]);
        assertEq(ret[0], retQuiet[0]);
        assertFalse(ok[1], "the later sale is refused");
        assertEq(ret[1], retQuiet[1], "exactly as without the re-entry");
        assertEq(bytes4(ret[1]), IUnwindVault.BelowTrigger.selector);
        assertEq(collateralOf(address(vault)), 10e18 - SELL, "the vault sold once");
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(_state(), stateQuiet);
    }

    /// The same router asks for a sale of ANOTHER vault, which no lock protects: had the sequence run it, the other
    /// vault would have sold inside the hostile swap, as the keeper, in the simulation only (on chain the keeper's
    /// address has no code), and its own planned sale after it would have been judged on that state (refused, under
    /// the trigger) while on chain it goes through. The sequence runs only for the keeper itself, so the router's
    /// call does nothing, as on chain: both verdicts, all return data and the end state equal the two transactions
    /// sent from a keeper without code.
    function test_reentry_otherVault_isNothing_asOnChain() public {
        UnwindVault other = vaults[1];
        HostileRouter router = _hostileRouterOn(vault);
        router.setPlan(_reenteringPlan(address(other), _v3Sale(other, SELL)));
        (address[] memory targets, bytes[] memory calls) =
            _two(address(vault), _hostileSale(router, SELL), address(other), _v3Sale(other, SELL));

        // On chain: the keeper is an account without code, the router's call to it does nothing.
        uint256 snap = vm.snapshotState();
        vm.etch(keeper, "");
        bool[] memory okChain = new bool[](2);
        bytes[] memory retChain = new bytes[](2);
        for (uint256 i; i < 2; i++) {
            vm.prank(keeper);
            (okChain[i], retChain[i]) = targets[i].call(calls[i]);
        }
        bytes32 stateChain = _stateOfAll(2);
        vm.revertToState(snap);

        (bool[] memory ok,, bytes[] memory ret) = _run(targets, calls);
        assertTrue(okChain[0] && okChain[1], "on chain both sales go through");
        for (uint256 i; i < 2; i++) {
            assertEq(ok[i], okChain[i], "verdict");
            assertEq(ret[i], retChain[i], "return data");
        }
        assertEq(router.lastReentryError().length, 0, "the router's call did nothing");
        assertEq(_stateOfAll(2), stateChain, "end state");
        assertEq(collateralOf(address(other)), 10e18 - SELL, "the other vault sold once, by its own call");
    }

    /// Anyone but the keeper calling the keeper's address gets success and no data, whatever it asks for.
    function test_run_forAnyoneButTheKeeperIsAnAccountWithoutCode() public {
        (address[] memory targets, bytes[] memory calls) = _one(address(vault), _v3Sale(vault, SELL));
        vm.prank(stranger);
        (bool ok, bytes memory ret) = keeper.call(abi.encodeCall(KeeperSequence.run, (targets, calls)));
        assertTrue(ok);
        assertEq(ret.length, 0);
        assertEq(collateralOf(address(vault)), 10e18, "nothing ran");
    }

    function test_run_revertsWhenTheArraysDiffer() public {
        address[] memory targets = new address[](2);
        bytes[] memory calls = new bytes[](1);
        vm.expectRevert(abi.encodeWithSelector(KeeperSequence.LengthMismatch.selector, 2, 1));
        vm.prank(keeper);
        seq.run(targets, calls);
    }

    function test_run_emptyIsEmpty() public {
        vm.prank(keeper);
        (bool[] memory ok, uint256[] memory gasUsed, bytes[] memory ret) = seq.run(new address[](0), new bytes[](0));
        assertEq(ok.length + gasUsed.length + ret.length, 0);
    }

    // ---------------------------------------------------------------------------------------------
    // 5. Gas
    // ---------------------------------------------------------------------------------------------

    /// One V3 deleverage, cold, inside the sequence (as the sequence meters it) and called directly by the keeper
    /// (metered around the call). Neither includes the 21,000 of a transaction of its own.
    function test_gas_deleverageInsideTheSequenceAndDirect() public {
        bytes memory data = _v3Sale(vault, SELL);
        uint256 snap = vm.snapshotState();
        (address[] memory targets, bytes[] memory calls) = _one(address(vault), data);
        (bool[] memory ok, uint256[] memory gasUsed,) = _run(targets, calls);
        assertTrue(ok[0]);
        vm.revertToState(snap);

        vm.prank(keeper);
        uint256 g = gasleft();
        (bool okDirect,) = address(vault).call(data);
        g -= gasleft();
        assertTrue(okDirect);
        console.log("deleverage gas: inside the sequence %s, direct %s", gasUsed[0], g);
        uint256 diff = gasUsed[0] > g ? gasUsed[0] - g : g - gasUsed[0];
        assertLt(diff, 5000, "within a few thousand");
    }

    // ---------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------

    function _v3Sale(UnwindVault v, uint256 sell) internal view returns (bytes memory) {
        return abi.encodeCall(
            UnwindVault.deleverage,
            (sell, address(swapRouter), v3SellCalldata(address(v), sell, 0), 0, block.timestamp, 0)
        );
    }

    function _v2Sale(UnwindVault v, uint256 sell) internal view returns (bytes memory) {
        return abi.encodeCall(
            UnwindVault.deleverage,
            (sell, address(v2Router), v2SellCalldata(address(v), sell, 0), 0, block.timestamp, 0)
        );
    }

    function _hostileSale(HostileRouter router, uint256 sell) internal view returns (bytes memory) {
        return abi.encodeCall(
            UnwindVault.deleverage,
            (sell, address(router), abi.encodeCall(HostileRouter.swap, (sell, 0)), 0, block.timestamp, 0)
        );
    }

    /// @dev A router the owner of `v` allow-listed, under the test's control.
    function _hostileRouterOn(UnwindVault v) internal returns (HostileRouter router) {
        router = new HostileRouter(address(collateralToken));
        vm.prank(v.owner());
        v.setRoute(address(router), HostileRouter.swap.selector, true);
    }

    /// @dev A plan paying twice the floor for SELL, which from inside the swap calls `run` on the keeper's address
    /// with one call: `data` on `target`.
    function _reenteringPlan(address target, bytes memory data) internal view returns (HostileRouter.Plan memory p) {
        (address[] memory t, bytes[] memory c) = _one(target, data);
        (p.pull, p.payToken, p.pay) = (SELL, address(loanToken), floorOf(SELL) * 2);
        (p.reenterTarget, p.reenterData) = (keeper, abi.encodeCall(KeeperSequence.run, (t, c)));
    }

    function _two(address t0, bytes memory d0, address t1, bytes memory d1)
        internal
        pure
        returns (address[] memory t, bytes[] memory c)
    {
        t = new address[](2);
        c = new bytes[](2);
        (t[0], c[0], t[1], c[1]) = (t0, d0, t1, d1);
    }

    /// @dev The sequence as the keeper runs it: an eth_call from the keeper to its own address, a block's gas.
    function _run(address[] memory targets, bytes[] memory calls)
        internal
        returns (bool[] memory, uint256[] memory, bytes[] memory)
    {
        return _run(targets, calls, BLOCK_GAS);
    }

    function _run(address[] memory targets, bytes[] memory calls, uint256 gas)
        internal
        returns (bool[] memory, uint256[] memory, bytes[] memory)
    {
        vm.prank(keeper);
        return seq.run{gas: gas}(targets, calls);
    }

    function _one(address target, bytes memory data) internal pure returns (address[] memory t, bytes[] memory c) {
        t = new address[](1);
        c = new bytes[](1);
        (t[0], c[0]) = (target, data);
    }

    /// @dev What `data` returns when the keeper calls `target` alone, from the current state (which is kept).
    function _aloneResult(address target, bytes memory data) internal returns (bytes memory ret) {
        uint256 snap = vm.snapshotState();
        vm.prank(keeper);
        bool ok;
        (ok, ret) = target.call(data);
        assertTrue(ok, "the call succeeds alone");
        vm.revertToState(snap);
    }

    /// @dev Gas of a one-call sequence, measured around it, less the gas of the call itself.
    function _overheadAround(address target, bytes memory data) internal returns (uint256) {
        (address[] memory t, bytes[] memory c) = _one(target, data);
        vm.prank(keeper);
        uint256 g = gasleft();
        (, uint256[] memory gasUsed,) = seq.run{gas: BLOCK_GAS}(t, c);
        g -= gasleft();
        return g - gasUsed[0];
    }

    /// @dev Every storage write that stuck, in order: (account, slot, new value).
    function _writes(Vm.AccountAccess[] memory accesses) internal pure returns (bytes32[] memory out) {
        uint256 n;
        for (uint256 i; i < accesses.length; i++) {
            for (uint256 j; j < accesses[i].storageAccesses.length; j++) {
                Vm.StorageAccess memory s = accesses[i].storageAccesses[j];
                if (s.isWrite && !s.reverted) n++;
            }
        }
        out = new bytes32[](n);
        n = 0;
        for (uint256 i; i < accesses.length; i++) {
            for (uint256 j; j < accesses[i].storageAccesses.length; j++) {
                Vm.StorageAccess memory s = accesses[i].storageAccesses[j];
                if (s.isWrite && !s.reverted) out[n++] = keccak256(abi.encode(s.account, s.slot, s.newValue));
            }
        }
    }

    function _assertSameLogs(Vm.Log[] memory a, Vm.Log[] memory b) internal pure {
        assertEq(a.length, b.length, "number of events");
        for (uint256 i; i < a.length; i++) {
            assertEq(a[i].emitter, b[i].emitter, "emitter");
            assertEq(a[i].topics, b[i].topics, "topics");
            assertEq(a[i].data, b[i].data, "event data");
        }
    }

    /// @dev The first vault's state, the market's and both pools'.
    function _state() internal view returns (bytes32) {
        return keccak256(abi.encode(_vaultState(vault), _marketState()));
    }

    function _stateOfAll(uint256 n) internal view returns (bytes32 h) {
        h = _marketState();
        for (uint256 i; i < n; i++) {
            h = keccak256(abi.encode(h, _vaultState(vaults[i])));
        }
    }

    function _vaultState(UnwindVault v) internal view returns (bytes32) {
        Id id = marketParams.id();
        return keccak256(
            abi.encode(
                morpho.position(id, address(v)),
                v.reserve(),
                collateralToken.balanceOf(address(v)),
                v.lastActionAt(),
                v.windowSellLeftBps(),
                loanToken.balanceOf(v.owner())
            )
        );
    }

    function _marketState() internal view returns (bytes32) {
        (uint160 sqrtPriceX96, int24 tick,,,,,) = v3Pool.slot0();
        (uint112 r0, uint112 r1,) = v2Pair.getReserves();
        return keccak256(
            abi.encode(
                morpho.market(marketParams.id()),
                sqrtPriceX96,
                tick,
                v3Pool.liquidity(),
                r0,
                r1,
                loanToken.balanceOf(keeper),
                collateralToken.balanceOf(keeper),
                loanToken.balanceOf(address(morpho)),
                collateralToken.balanceOf(address(morpho))
            )
        );
    }

    function _errorArgs(bytes memory err) internal pure returns (uint256 a, uint256 b) {
        assembly ("memory-safe") {
            a := mload(add(err, 36))
            b := mload(add(err, 68))
        }
    }
}
