// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// The one function of VigilCore this contract reads.
interface ICommitteeSource {
    function committeeMembers(uint32 index) external view returns (address[] memory);
}

/// Stake that answers for signatures. Anyone bonds ETH (or one ERC-20) behind a guardian address;
/// anyone who holds two attestation bodies with the same message id but different digests, both
/// signed by the same committee member, submits them and that member's stake is slashed: slashBps
/// of everything behind it (bonded and still unbonding), reporterBps of that to the reporter, the
/// rest locked here for good.
///
/// Each guardian has a share pool: a delegation buys shares at the pool's price, a slash lowers
/// the price, so every delegator loses the same fraction. Shares being unbonded stay in the pool
/// (and so stay slashable) until withdrawn. Assets are counted, never read from balanceOf, so
/// nothing sent here from outside changes a price; the price starts at one unit per share and only
/// slashes and rounding move it, rounding always in the pool's favour (a share is never worth more
/// than one unit, so a delegation always gets at least as many shares as units). A slash of the
/// whole pool starts a new generation of its shares: the old ones are worth nothing.
contract VigilStaking {
    // ---- errors (names and arguments are part of the interface: the Java side maps them)
    error CommitteeNotInstalled(uint32 index);
    error SignerIndexOutOfRange(uint8 signerIndex, uint256 size);
    error BodyTooShort(uint256 length);
    error DifferentMessages();
    error SameDigest();
    error BadSignature();
    error MalleableSignature();
    error WrongSigner(address expected, address recovered);
    error AlreadySlashed(address guardian);
    error NotReady(uint64 readyAt);
    error NotRequester();
    error ZeroAmount();
    error WrongValue();
    error BadBps();
    error ZeroGuardian();
    error NotAContract(address account);
    error InsufficientShares(uint256 requested, uint256 available);
    error UnknownRequest(uint256 requestId);
    error AlreadyWithdrawn(uint256 requestId);
    error TransferFailed();
    error TokenShortfall(uint256 expected, uint256 received);
    error Reentrancy();

    event Delegated(address indexed guardian, address indexed delegator, uint256 amount, uint256 shares);
    event UnbondRequested(
        uint256 indexed requestId, address indexed guardian, address indexed delegator, uint256 shares, uint64 readyAt
    );
    event Withdrawn(uint256 indexed requestId, address indexed delegator, uint256 amount);
    /// amount: taken from the guardian's stake; reward: the part of it paid to the reporter.
    event Slashed(
        address indexed guardian,
        address indexed reporter,
        uint16 emitterChain,
        bytes32 emitterAddress,
        uint64 sequence,
        uint256 amount,
        uint256 reward
    );

    uint256 private constant BPS = 10_000;
    uint256 private constant BODY_HEADER_LENGTH = 51;
    /// Largest s accepted (secp256k1 n / 2): the other half are malleated copies of valid signatures.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    struct Pool {
        uint256 assets; // bonded + unbonding, after slashes
        uint256 shares; // held by delegators + in open unbond requests, of the current generation
        uint64 generation; // bumped when a slash leaves no assets
    }

    struct Request {
        address delegator;
        uint64 readyAt;
        bool withdrawn;
        address guardian;
        uint64 generation;
        uint256 shares;
    }

    ICommitteeSource private immutable _core;
    address private immutable _token;
    uint64 private immutable _unbondingDelay;
    uint16 private immutable _slashBps;
    uint16 private immutable _reporterBps;

    mapping(address guardian => Pool) private _pools;
    mapping(address guardian => mapping(uint64 generation => mapping(address delegator => uint256))) private _shares;
    mapping(uint256 requestId => Request) private _requests;
    uint256 private _requestCount;
    mapping(bytes32 key => bool) private _slashedMessages;
    uint256 private _slashedTotal;
    bool private transient _entered;

    modifier nonReentrant() {
        if (_entered) revert Reentrancy();
        _entered = true;
        _;
        _entered = false;
    }

    /// @param core_ this chain's VigilCore (committees read with committeeMembers)
    /// @param token_ the staked ERC-20, or address(0) for ETH
    /// @param unbondingDelay_ seconds between requestUnbond and withdraw
    /// @param slashBps_ fraction of a guardian's stake taken per equivocation, in basis points
    /// @param reporterBps_ fraction of the slashed amount paid to the reporter, in basis points
    constructor(address core_, address token_, uint64 unbondingDelay_, uint16 slashBps_, uint16 reporterBps_) {
        if (slashBps_ > BPS || reporterBps_ > BPS) revert BadBps();
        if (core_.code.length == 0) revert NotAContract(core_);
        if (token_ != address(0) && token_.code.length == 0) revert NotAContract(token_);
        _core = ICommitteeSource(core_);
        _token = token_;
        _unbondingDelay = unbondingDelay_;
        _slashBps = slashBps_;
        _reporterBps = reporterBps_;
    }

    // ================================================================ delegators

    /// Bonds `amount` behind `guardian` (ETH: send it as msg.value; ERC-20: approve it first).
    function delegate(address guardian, uint256 amount) external payable nonReentrant returns (uint256 shares) {
        if (guardian == address(0)) revert ZeroGuardian();
        if (amount == 0) revert ZeroAmount();
        if (_token == address(0)) {
            if (msg.value != amount) revert WrongValue();
        } else {
            if (msg.value != 0) revert WrongValue();
            uint256 before = _balance();
            _call(_token, abi.encodeWithSelector(0x23b872dd, msg.sender, address(this), amount)); // transferFrom
            uint256 received = _balance() - before;
            if (received != amount) revert TokenShortfall(amount, received);
        }
        Pool storage p = _pools[guardian];
        // an empty pool (no shares) has no assets either: withdrawing the last share takes them all
        // and a slash that empties the assets starts a new generation with no shares
        shares = p.shares == 0 ? amount : _mulDiv(amount, p.shares, p.assets);
        p.assets += amount;
        p.shares += shares;
        _shares[guardian][p.generation][msg.sender] += shares;
        emit Delegated(guardian, msg.sender, amount, shares);
    }

    /// Moves `shares` out of the caller's balance into a request withdrawable after the delay.
    /// They stay in the pool until then, so a slash meanwhile still reduces them.
    function requestUnbond(address guardian, uint256 shares) external nonReentrant returns (uint256 requestId) {
        if (shares == 0) revert ZeroAmount();
        uint64 generation = _pools[guardian].generation;
        mapping(address => uint256) storage balances = _shares[guardian][generation];
        uint256 available = balances[msg.sender];
        if (shares > available) revert InsufficientShares(shares, available);
        balances[msg.sender] = available - shares;
        uint64 readyAt = uint64(block.timestamp) + _unbondingDelay;
        requestId = ++_requestCount;
        _requests[requestId] = Request({
            delegator: msg.sender,
            readyAt: readyAt,
            withdrawn: false,
            guardian: guardian,
            generation: generation,
            shares: shares
        });
        emit UnbondRequested(requestId, guardian, msg.sender, shares, readyAt);
    }

    /// Pays the requester what the request's shares are worth now (after any slash).
    function withdraw(uint256 requestId) external nonReentrant returns (uint256 amount) {
        Request storage r = _requests[requestId];
        if (r.delegator == address(0)) revert UnknownRequest(requestId);
        if (r.delegator != msg.sender) revert NotRequester();
        if (r.withdrawn) revert AlreadyWithdrawn(requestId);
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < r.readyAt) revert NotReady(r.readyAt);
        Pool storage p = _pools[r.guardian];
        uint256 shares = r.shares;
        // shares of an emptied generation are worth nothing and are no longer in the pool
        if (r.generation == p.generation) {
            uint256 poolShares = p.shares;
            // rounded down, in the pool's favour; the last shares (shares == poolShares) take it all
            amount = _mulDiv(shares, p.assets, poolShares);
            p.assets -= amount;
            p.shares = poolShares - shares;
        }
        r.withdrawn = true;
        r.shares = 0;
        emit Withdrawn(requestId, msg.sender, amount);
        _pay(msg.sender, amount);
    }

    // ================================================================ evidence

    /// Two attestation bodies for one message id with different digests, both signed by member
    /// `signerIndex` of committee `committeeIndex`: slashes that member's stake once per message id.
    function submitEquivocation(
        uint32 committeeIndex,
        uint8 signerIndex,
        bytes calldata bodyA,
        bytes calldata sigA,
        bytes calldata bodyB,
        bytes calldata sigB
    ) external nonReentrant returns (uint256 slashed) {
        address guardian = _member(committeeIndex, signerIndex);
        (bytes32 digestA, bytes32 digestB) = _sameMessageDifferentDigests(bodyA, bodyB);
        _checkSigner(digestA, sigA, guardian);
        _checkSigner(digestB, sigB, guardian);
        return _slash(guardian, bodyA);
    }

    /// member[signerIndex] of an installed committee.
    function _member(uint32 committeeIndex, uint8 signerIndex) private view returns (address) {
        address[] memory members = _core.committeeMembers(committeeIndex);
        if (members.length == 0) revert CommitteeNotInstalled(committeeIndex);
        if (signerIndex >= members.length) revert SignerIndexOutOfRange(signerIndex, members.length);
        return members[signerIndex];
    }

    /// Both bodies hold the header, have the same message id (emitterChain u16 | emitterAddress 32 |
    /// sequence u64, body bytes 8..50) and different digests.
    function _sameMessageDifferentDigests(bytes calldata bodyA, bytes calldata bodyB)
        private
        pure
        returns (bytes32 digestA, bytes32 digestB)
    {
        if (bodyA.length < BODY_HEADER_LENGTH) revert BodyTooShort(bodyA.length);
        if (bodyB.length < BODY_HEADER_LENGTH) revert BodyTooShort(bodyB.length);
        if (bytes32(bodyA[8:40]) != bytes32(bodyB[8:40]) || bytes10(bodyA[40:50]) != bytes10(bodyB[40:50])) {
            revert DifferentMessages();
        }
        digestA = _digest(bodyA);
        digestB = _digest(bodyB);
        if (digestA == digestB) revert SameDigest();
    }

    /// Marks (guardian, message id of `body`) slashed, takes slashBps of the guardian's pool and pays
    /// the reporter's part.
    function _slash(address guardian, bytes calldata body) private returns (uint256 slashed) {
        uint16 emitterChain = uint16(bytes2(body[8:10]));
        bytes32 emitterAddress = bytes32(body[10:42]);
        uint64 sequence = uint64(bytes8(body[42:50]));
        bytes32 key = keccak256(abi.encode(guardian, emitterChain, emitterAddress, sequence));
        if (_slashedMessages[key]) revert AlreadySlashed(guardian);
        _slashedMessages[key] = true;

        Pool storage p = _pools[guardian];
        uint256 assets = p.assets;
        slashed = assets * _slashBps / BPS;
        uint256 reward = slashed * _reporterBps / BPS;
        if (slashed > 0) {
            assets -= slashed;
            p.assets = assets;
            if (assets == 0) {
                // nothing left: the outstanding shares are worthless, start over
                p.shares = 0;
                p.generation += 1;
            }
            _slashedTotal += slashed - reward;
        }
        emit Slashed(guardian, msg.sender, emitterChain, emitterAddress, sequence, slashed, reward);
        _pay(msg.sender, reward);
    }

    // ================================================================ views

    /// Everything behind `guardian`, bonded and unbonding, after slashes.
    function stakeOf(address guardian) external view returns (uint256) {
        return _pools[guardian].assets;
    }

    /// Shares of `delegator` bonded behind `guardian` (not counting those in unbond requests).
    function sharesOf(address guardian, address delegator) external view returns (uint256) {
        return _shares[guardian][_pools[guardian].generation][delegator];
    }

    /// Shares of `guardian`'s pool, bonded and unbonding.
    function totalShares(address guardian) external view returns (uint256) {
        return _pools[guardian].shares;
    }

    /// What `shares` of `guardian`'s pool are worth now (rounded down).
    function valueOf(address guardian, uint256 shares) external view returns (uint256) {
        Pool storage p = _pools[guardian];
        return p.shares == 0 ? 0 : _mulDiv(shares, p.assets, p.shares);
    }

    function unbondRequest(uint256 requestId)
        external
        view
        returns (address delegator, address guardian, uint256 shares, uint64 readyAt, bool withdrawn)
    {
        Request storage r = _requests[requestId];
        return (r.delegator, r.guardian, r.shares, r.readyAt, r.withdrawn);
    }

    function isSlashed(address guardian, uint16 emitterChain, bytes32 emitterAddress, uint64 sequence)
        external
        view
        returns (bool)
    {
        return _slashedMessages[keccak256(abi.encode(guardian, emitterChain, emitterAddress, sequence))];
    }

    /// Slashed stake kept here (slashed minus reporter rewards), summed over all slashes.
    function slashedTotal() external view returns (uint256) {
        return _slashedTotal;
    }

    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    function token() external view returns (address) {
        return _token;
    }

    function core() external view returns (address) {
        return address(_core);
    }

    function slashBps() external view returns (uint16) {
        return _slashBps;
    }

    function reporterBps() external view returns (uint16) {
        return _reporterBps;
    }

    // ================================================================ internals

    function _digest(bytes calldata body) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(keccak256(body)));
    }

    /// sig = r 32 | s 32 | v 1 with v in {0, 1} and low s; recovers (no message prefix) to `expected`.
    function _checkSigner(bytes32 digest, bytes calldata sig, address expected) private pure {
        if (sig.length != 65) revert BadSignature();
        uint8 v = uint8(sig[64]);
        if (v > 1) revert BadSignature();
        bytes32 s = bytes32(sig[32:64]);
        if (uint256(s) > HALF_N) revert MalleableSignature();
        address recovered = ecrecover(digest, v + 27, bytes32(sig[0:32]), s);
        if (recovered == address(0)) revert BadSignature();
        if (recovered != expected) revert WrongSigner(expected, recovered);
    }

    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        if (_token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert TransferFailed();
        } else {
            _call(_token, abi.encodeWithSelector(0xa9059cbb, to, amount)); // transfer
        }
    }

    function _balance() private view returns (uint256) {
        (bool ok, bytes memory ret) = _token.staticcall(abi.encodeWithSelector(0x70a08231, address(this)));
        if (!ok || ret.length < 32) revert TransferFailed();
        return abi.decode(ret, (uint256));
    }

    /// A token call that must succeed and return nothing or true (tokens without a return value work).
    function _call(address target, bytes memory data) private {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok || (ret.length > 0 && (ret.length < 32 || abi.decode(ret, (uint256)) != 1))) revert TransferFailed();
    }

    /// floor(x * y / d) with a 512-bit product, so large share counts cannot overflow (d > 0).
    function _mulDiv(uint256 x, uint256 y, uint256 d) private pure returns (uint256 result) {
        unchecked {
            uint256 lo;
            uint256 hi;
            assembly ("memory-safe") {
                let mm := mulmod(x, y, not(0))
                lo := mul(x, y)
                hi := sub(sub(mm, lo), lt(mm, lo))
            }
            if (hi == 0) return lo / d;
            require(d > hi, "mulDiv overflow");
            uint256 rem;
            assembly ("memory-safe") {
                rem := mulmod(x, y, d)
                hi := sub(hi, gt(rem, lo))
                lo := sub(lo, rem)
            }
            uint256 twos = d & (~d + 1);
            assembly ("memory-safe") {
                d := div(d, twos)
                lo := div(lo, twos)
                twos := add(div(sub(0, twos), twos), 1)
            }
            lo |= hi * twos;
            uint256 inv = (3 * d) ^ 2;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            result = lo * inv;
        }
    }
}
