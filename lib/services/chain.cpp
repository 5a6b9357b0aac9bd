#include "chain.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>

#include "hash.h"

namespace liaison {

namespace {

/// Appends "LENGTH:VALUE\n".
void field(std::string& out, std::string_view value) {
  char length[24];
  auto end = std::to_chars(std::begin(length), std::end(length), value.size()).ptr;
  out.append(length, end).append(1, ':').append(value).append(1, '\n');
}
void field(std::string& out, std::int64_t number) {
  char text[24];
  field(out, std::string_view(text, std::to_chars(std::begin(text), std::end(text), number).ptr - text));
}

/// event_digest_input written into `out` (cleared first), so one buffer serves a whole pass.
void write_digest_input(const Event& e, std::string& out) {
  out.clear();
  field(out, e.prev_hash);
  field(out, e.id);
  field(out, e.record_id);
  field(out, e.type);
  field(out, e.actor);
  field(out, secs(e.at));
  field(out, e.data);
  if (!e.salt.empty()) {
    field(out, e.salt);
    if (e.recorded_at) field(out, secs(*e.recorded_at));
    else field(out, std::string_view());
  }
}

}  // namespace

std::string event_digest_input(const Event& e) {
  std::string out;
  write_digest_input(e, out);
  return out;
}

Event append_event(Store& store, Event e) {
  Store::ChainTip tip = store.chain_tip();
  e.id = tip.id + 1;
  e.prev_hash = std::move(tip.hash);
  e.salt = random_hex(16);
  e.recorded_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  e.hash = sha256_hex(event_digest_input(e));
  store.insert_event(e);
  return e;
}

ChainCheck verify_chain(Store& store) {
  ChainCheck check;
  std::string prev;
  std::string input;  // one buffer for every event's digest input
  std::int64_t expected_id = 1;
  // The store streams every event; after the first bad one the rest are only skipped.
  store.each_chain_event([&](const Event& e) {
    if (!check.ok) return;
    ++check.events;
    auto fail = [&](std::int64_t id, Message why) {
      check.ok = false;
      check.first_bad_id = id;
      check.problem = std::move(why);
    };
    if (e.id != expected_id) {
      fail(expected_id, msg<Msg::chain_event_missing>(expected_id, e.id));
      return;
    }
    if (e.prev_hash != prev) {
      fail(e.id, msg<Msg::chain_previous_hash_mismatch>());
      return;
    }
    write_digest_input(e, input);
    if (!sha256_hex_is(input, e.hash)) {
      fail(e.id, msg<Msg::chain_content_hash_mismatch>());
      return;
    }
    prev = e.hash;
    ++expected_id;
  });
  return check;
}

}  // namespace liaison
