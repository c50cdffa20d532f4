// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title KeeperSequence
/// @notice Runs calls one after another in one transaction's state, each allowed to fail alone, and reports
/// each one's success, gas and (capped) return data.
///
/// It is never deployed. The keeper places this runtime code at its own address through an eth_call state
/// override and calls it with the block's planned vault actions in the order it would send them, so each
/// vault sees `msg.sender` = the keeper, exactly as when the keeper's transactions execute, and each call
/// runs on the state the earlier ones left: the k-th sale meets the pools the k-1 before it moved. Nothing
/// here widens what a keeper can do on chain: no owner allow-lists it, no one can call it on a real chain, and in
/// the simulation it runs only for the keeper's own call (a contract calling the keeper's address gets what an
/// account without code gives: success and no data).
contract KeeperSequence {
    /// @notice Return data kept per call: enough for a vault's custom error with its arguments, and a cap on
    /// what a hostile target can make the caller copy.
    uint256 public constant MAX_RETURN = 512;

    error LengthMismatch(uint256 targets, uint256 data);

    /// @param targets the contracts to call, in order
    /// @param data each call's calldata
    /// @return ok whether each call succeeded
    /// @return gasUsed the gas each call used (as metered inside this call, without the transaction's 21,000)
    /// @return ret each call's return data (its revert data when it failed), at most MAX_RETURN bytes
    function run(address[] calldata targets, bytes[] calldata data)
        external
        returns (bool[] memory ok, uint256[] memory gasUsed, bytes[] memory ret)
    {
        // Only the keeper itself (the eth_call's sender) runs the sequence. Anyone else calling the keeper's address
        // meets what is there on chain, an account without code: the call succeeds, does nothing and returns nothing.
        // Otherwise a route could call `run` from inside its swap and act as the keeper in the simulation alone, and
        // what it did there would change the verdicts of the calls after it.
        if (msg.sender != address(this)) {
            assembly ("memory-safe") {
                return(0, 0)
            }
        }
        uint256 n = targets.length;
        if (data.length != n) revert LengthMismatch(n, data.length);
        ok = new bool[](n);
        gasUsed = new uint256[](n);
        ret = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            bytes memory input = data[i];
            address target = targets[i];
            bool success;
            uint256 before = gasleft();
            assembly ("memory-safe") {
                success := call(gas(), target, 0, add(input, 32), mload(input), 0, 0)
            }
            gasUsed[i] = before - gasleft();
            uint256 size;
            assembly ("memory-safe") {
                size := returndatasize()
            }
            if (size > MAX_RETURN) size = MAX_RETURN;
            bytes memory out = new bytes(size);
            assembly ("memory-safe") {
                returndatacopy(add(out, 32), 0, size)
            }
            ok[i] = success;
            ret[i] = out;
        }
    }
}
