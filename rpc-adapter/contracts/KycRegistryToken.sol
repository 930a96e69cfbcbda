// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title An ERC-20 security token restricted (ERC-1404) to the consortium's authenticated addresses
/// @notice The token of one kyc-ledger asset on an institution's own chain. The asset's
/// authenticated-address registry (authenticated, frozen, asset frozen) is mirrored here from the
/// ledger by the sync driver through `applyChanges`, which takes the ledger's gapless per-asset
/// sequence: only the next sequence is applied, an already applied range is a no-op, so order and
/// exactly-once hold on chain whatever the driver does (retries, rebroadcasts after a reorg).
contract KycRegistryToken {
    /// @notice One registry change as the ledger sequenced it. `op` is one of the OP_* codes.
    struct Change {
        uint8 op;
        address account;
    }

    uint8 public constant OP_NONE = 0;
    uint8 public constant OP_AUTHENTICATE = 1;
    uint8 public constant OP_REVOKE = 2;
    uint8 public constant OP_FREEZE = 3;
    uint8 public constant OP_UNFREEZE = 4;
    uint8 public constant OP_FREEZE_ASSET = 5;
    uint8 public constant OP_UNFREEZE_ASSET = 6;

    uint8 public constant SUCCESS = 0;
    uint8 public constant SENDER_NOT_AUTHENTICATED = 1;
    uint8 public constant RECIPIENT_NOT_AUTHENTICATED = 2;
    uint8 public constant SENDER_FROZEN = 3;
    uint8 public constant RECIPIENT_FROZEN = 4;
    uint8 public constant ASSET_FROZEN = 5;

    string public name;
    string public symbol;
    uint8 public constant decimals = 0;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    /// @notice keccak256 of the ledger asset id's UTF-8 bytes.
    bytes32 public immutable asset;
    /// @notice The institution that owns the token: sets the sync accounts and mints.
    address public owner;
    /// @notice Accounts allowed to apply the ledger's registry changes.
    mapping(address => bool) public isSyncAccount;

    mapping(address => bool) public isAuthenticated;
    mapping(address => bool) public isFrozen;
    bool public assetFrozen;
    /// @notice The last ledger sequence applied (0: none yet).
    uint64 public appliedSeq;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event SyncAccountSet(address indexed account, bool allowed);
    /// @notice One per applied ledger sequence, `op` OP_NONE included, so each sequence is traceable.
    event RegistryChanged(uint64 indexed seq, uint8 op, address indexed account);

    error NotOwner(address caller);
    error NotSyncAccount(address caller);
    error WrongAsset(bytes32 expected, bytes32 given);
    error SequenceGap(uint64 expected, uint64 given);
    error InvalidSequence(uint64 given);
    error UnknownOp(uint64 seq, uint8 op);
    error ZeroAccount(uint64 seq, uint8 op);
    error TransferRestricted(uint8 code);
    error InsufficientBalance(uint256 balance, uint256 needed);
    error InsufficientAllowance(uint256 allowance, uint256 needed);

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(bytes32 asset_, string memory name_, string memory symbol_, address owner_) {
        asset = asset_;
        name = name_;
        symbol = symbol_;
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
    }

    // --- administration (the institution) ---

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function setSyncAccount(address account, bool allowed) external onlyOwner {
        isSyncAccount[account] = allowed;
        emit SyncAccountSet(account, allowed);
    }

    /// @notice Issues tokens to an authenticated, not frozen account.
    function mint(address to, uint256 value) external onlyOwner {
        uint8 code = _recipientRestriction(to);
        if (code != SUCCESS) revert TransferRestricted(code);
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    // --- registry sync ---

    /// @notice Applies the ledger's changes `fromSeq`.. of `asset_`. A range already applied is a
    /// no-op; a range overlapping the applied head applies only its new part; a range starting after
    /// the next sequence reverts with `SequenceGap`.
    function applyChanges(bytes32 asset_, uint64 fromSeq, Change[] calldata ops) external {
        if (!isSyncAccount[msg.sender]) revert NotSyncAccount(msg.sender);
        if (asset_ != asset) revert WrongAsset(asset, asset_);
        if (fromSeq == 0) revert InvalidSequence(fromSeq);
        uint256 count = ops.length;
        if (count == 0) return;
        uint64 applied = appliedSeq;
        uint64 lastSeq = fromSeq + uint64(count) - 1;
        if (lastSeq <= applied) return;
        if (fromSeq > applied + 1) revert SequenceGap(applied + 1, fromSeq);
        for (uint64 seq = applied + 1; seq <= lastSeq; ++seq) {
            Change calldata change = ops[seq - fromSeq];
            _apply(seq, change.op, change.account);
        }
        appliedSeq = lastSeq;
    }

    function _apply(uint64 seq, uint8 op, address account) private {
        if (op > OP_UNFREEZE_ASSET) revert UnknownOp(seq, op);
        if (op >= OP_AUTHENTICATE && op <= OP_UNFREEZE && account == address(0)) revert ZeroAccount(seq, op);
        if (op == OP_AUTHENTICATE) {
            isAuthenticated[account] = true;
        } else if (op == OP_REVOKE) {
            // A deregistered address leaves the registry entirely: a later registration starts unfrozen,
            // as on the ledger (a recovery re-freezes the new address with its own change).
            isAuthenticated[account] = false;
            isFrozen[account] = false;
        } else if (op == OP_FREEZE) {
            isFrozen[account] = true;
        } else if (op == OP_UNFREEZE) {
            isFrozen[account] = false;
        } else if (op == OP_FREEZE_ASSET) {
            assetFrozen = true;
        } else if (op == OP_UNFREEZE_ASSET) {
            assetFrozen = false;
        }
        emit RegistryChanged(seq, op, account);
    }

    // --- ERC-1404 ---

    /// @notice 0 when `from` may send to `to`; otherwise the first failing check, the asset-wide
    /// freeze first, then authentication (sender, recipient), then address freezes (sender, recipient).
    function detectTransferRestriction(address from, address to, uint256) public view returns (uint8) {
        if (assetFrozen) return ASSET_FROZEN;
        if (!isAuthenticated[from]) return SENDER_NOT_AUTHENTICATED;
        if (!isAuthenticated[to]) return RECIPIENT_NOT_AUTHENTICATED;
        if (isFrozen[from]) return SENDER_FROZEN;
        if (isFrozen[to]) return RECIPIENT_FROZEN;
        return SUCCESS;
    }

    function messageForTransferRestriction(uint8 code) external pure returns (string memory) {
        if (code == SUCCESS) return "No restriction";
        if (code == SENDER_NOT_AUTHENTICATED) return "Sender is not an authenticated address of this asset";
        if (code == RECIPIENT_NOT_AUTHENTICATED) return "Recipient is not an authenticated address of this asset";
        if (code == SENDER_FROZEN) return "Sender address is frozen";
        if (code == RECIPIENT_FROZEN) return "Recipient address is frozen";
        if (code == ASSET_FROZEN) return "The asset is frozen";
        return "Unknown restriction code";
    }

    function _recipientRestriction(address to) private view returns (uint8) {
        if (!isAuthenticated[to]) return RECIPIENT_NOT_AUTHENTICATED;
        if (isFrozen[to]) return RECIPIENT_FROZEN;
        return SUCCESS;
    }

    // --- ERC-20 ---

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(allowed, value);
            allowance[from][msg.sender] = allowed - value;
        }
        _transfer(from, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function _transfer(address from, address to, uint256 value) private {
        uint8 code = detectTransferRestriction(from, to, value);
        if (code != SUCCESS) revert TransferRestricted(code);
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(balance, value);
        balanceOf[from] = balance - value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
