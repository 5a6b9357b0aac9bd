// The hash chain over the history: every event carries the hash of the one
// before it and a hash of its own content, so changing or deleting an event behind
// liaison's back is found by `liaison audit verify`. The chain is computed here, the same
// for every engine; the store only keeps the events (Store::chain_tip, insert_event,
// each_chain_event).
#pragma once
#include <cstdint>
#include <string>

#include "messages.h"
#include "model.h"
#include "store.h"

namespace liaison {

/// Result of checking the event hash chain.
struct ChainCheck {
  bool ok = true;
  std::int64_t events = 0;                  ///< events checked
  std::int64_t first_bad_id = 0;            ///< first event that does not verify
  Message problem;                          ///< what is wrong with it
};

/// The canonical bytes an event's hash covers: prev_hash, id, record_id, type, actor, at
/// (UTC seconds) and data — in its place the data's SHA-256 (hex) for events that carry
/// one (data_sha256: every event since schema 14, and older ones a purge reduced) —, then — for events with a salt (schema 7 on) — salt and
/// recorded_at (UTC seconds), each as "LENGTH:VALUE\n" (LENGTH in bytes), so no choice
/// of field text can forge another encoding. Events without a salt (written before
/// schema 7) keep the first seven fields only. tests/cli/tamper_test.sh and
/// tests/bench/generate.py recompute it.
std::string event_digest_input(const Event& event);

/// What a `purged` event keeps of an event whose data the purge reduced: hex SHA-256 over
/// event_digest_input (over data_sha256, the digest of the data as written), then the
/// event's hash and the data it now holds, as "LENGTH:VALUE\n" fields. The purge lists it
/// in its data ("sealed"), so the chain covers what is left of the event: its hash if it
/// was written before schema 14 (that hash covered the data, now gone) and the text the
/// purge left in it.
std::string event_seal(const Event& event);

/// Appends `event` to the chain: id = the tip's id + 1, prev_hash = the tip's hash, a new
/// random salt, recorded_at = the real clock (whatever `at` says), data_sha256 = sha256 of
/// the data, hash = sha256 of event_digest_input; stores it (Store::insert_event) and returns it. Call inside the
/// store's write transaction.
Event append_event(Store& store, Event event);

/// Recomputes the chain over all events, oldest first: ids 1, 2, 3 … without a gap, each
/// prev_hash the hash of the event before, each hash its content's. An event whose data
/// no longer has its data_sha256, or whose hash its digest input does not give, must be
/// sealed (event_seal) by a later `purged` event of its record. Stops counting at the
/// first event that does not verify.
ChainCheck verify_chain(Store& store);

}  // namespace liaison
