// Signed checkpoints of the history (`liaison audit checkpoint`, `audit verify
// --checkpoints/--trusted-key`). Anyone who can write the database file can rewrite the
// hash chain from any event on and recompute every hash after it, or cut its newest
// events off: the chain alone then still verifies. A checkpoint anchors it outside the
// database: the newest event's id and hash at a moment, signed with an Ed25519 key that
// an auditor or the top manager keeps elsewhere, printed for mail or paper and stored in
// the database. Each kept checkpoint must still be in the chain: a cut chain lacks its
// event, a rewritten one has another hash there, and a forged checkpoint lacks the
// trusted key's signature.
//
// The text form, which `audit checkpoint` prints and --checkpoints reads (any other text
// around the blocks, such as a mail's, is skipped):
//   -----BEGIN LIAISON CHECKPOINT-----
//   event: 1234
//   hash: <64 hex digits: the chain hash of event 1234>
//   at: 2026-12-06T01:02:03Z
//   key: <64 hex digits: the raw Ed25519 public key>
//   signature: <128 hex digits>
//   -----END LIAISON CHECKPOINT-----
// The signature covers statement(): "liaison checkpoint 1\n" and the event, hash, at and
// key lines, each ending in "\n".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages.h"
#include "model.h"
#include "services.h"
#include "signature.h"
#include "store.h"

namespace liaison {

/// The signed bytes of a checkpoint of `event_id` with chain hash `hash` at `at` by the
/// public key `public_hex`.
std::string checkpoint_statement(std::int64_t event_id, std::string_view hash, TimePoint at,
                                 std::string_view public_hex);

/// Signs the chain's newest event and hash with `key`, at the real clock, and stores the
/// checkpoint; for admins, auditors and top management (Access::require_checkpoint).
/// StateError when there is no event yet.
Checkpoint write_checkpoint(Context& ctx, const SigningKey& key);

/// The text form of a checkpoint (above), ending in a newline.
std::string checkpoint_text(const Checkpoint& checkpoint);

/// Every checkpoint block in `text`, in order. DataError naming `source` and the block
/// when a block is malformed; an empty result when there is none.
std::vector<Checkpoint> parse_checkpoints(std::string_view text, std::string_view source);

/// The first checkpoint that does not hold, and why.
struct CheckpointCheck {
  std::int64_t checked = 0;               ///< checkpoints that hold
  std::optional<Message> problem;         ///< the first that does not
  bool none = false;                      ///< the problem is that there was none to check
};

/// Checks each checkpoint in order: its signature holds (and, given `trusted_key` as hex,
/// is by that key), and the chain still has its event with its hash. Stops at the first
/// that does not hold. Verify the chain itself (verify_chain) beside it.
CheckpointCheck verify_checkpoints(Store& store, const std::vector<Checkpoint>& checkpoints,
                                   const std::optional<std::string>& trusted_key);

/// The checkpoints stored in the database, checked against `trusted_key`: every one must
/// hold and be signed by it, and there must be at least one.
CheckpointCheck verify_stored_checkpoints(Store& store, const std::string& trusted_key);

}  // namespace liaison
