#include "chain.h"

#include <chrono>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "hash.h"

namespace liaison {

std::string event_digest_input(const Event& e) {
  std::string out;
  auto field = [&](std::string_view v) { out += fmt::format("{}:{}\n", v.size(), v); };
  field(e.prev_hash);
  field(std::to_string(e.id));
  field(std::to_string(e.record_id));
  field(e.type);
  field(e.actor);
  field(std::to_string(e.at.time_since_epoch().count()));
  field(e.data);
  if (!e.salt.empty()) {
    field(e.salt);
    field(e.recorded_at ? std::to_string(secs(*e.recorded_at)) : std::string());
  }
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
  std::int64_t expected_id = 1;
  // The store streams every event; after the first bad one the rest are only skipped.
  store.each_event([&](const Event& e) {
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
    if (sha256_hex(event_digest_input(e)) != e.hash) {
      fail(e.id, msg<Msg::chain_content_hash_mismatch>());
      return;
    }
    prev = e.hash;
    ++expected_id;
  });
  return check;
}

}  // namespace liaison
