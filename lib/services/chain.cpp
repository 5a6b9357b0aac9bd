#include "chain.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

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

/// event_digest_input written into `out` (cleared first), so one buffer serves a whole
/// pass; with `payload` in the place of the data (the data itself, or its digest).
void write_digest_input(const Event& e, std::string_view payload, std::string& out) {
  out.clear();
  field(out, e.prev_hash);
  field(out, e.id);
  field(out, e.record_id);
  field(out, e.type);
  field(out, e.actor);
  field(out, secs(e.at));
  field(out, payload);
  if (!e.salt.empty()) {
    field(out, e.salt);
    if (e.recorded_at) field(out, secs(*e.recorded_at));
    else field(out, std::string_view());
  }
}

/// The seal's input (event_seal): the event's digest input over its data's digest, then
/// its hash and the data it still holds.
void write_seal_input(const Event& e, std::string& out) {
  write_digest_input(e, e.data_sha256, out);
  field(out, e.hash);
  field(out, e.data);
}

/// An event waiting for the `purged` event that seals it (verify_chain).
struct Unsealed {
  std::int64_t record_id = 0;
  std::string seal;        ///< its seal as its row gives it
  bool hash_bad = false;   ///< its hash is not that of its digest input (written before schema 14)
};

/// Checks the seals a `purged` event lists ("sealed": [{"event": ID, "seal": HEX}])
/// against the events of its record still waiting for one, and takes those it matches
/// off `unsealed`. A seal naming no waiting event is left alone: an imported history
/// names the events of the database it came from. The first event sealed differently,
/// with the problem, if any.
std::optional<std::pair<std::int64_t, Message>> check_seals(const Event& purge,
                                                            std::map<std::int64_t, Unsealed>& unsealed) {
  auto data = nlohmann::json::parse(purge.data, nullptr, false);
  if (!data.is_object() || !data.contains("sealed") || !data["sealed"].is_array()) return std::nullopt;
  for (const auto& item : data["sealed"]) {
    if (!item.is_object() || !item.contains("event") || !item["event"].is_number_integer()) continue;
    auto it = unsealed.find(item["event"].get<std::int64_t>());
    if (it == unsealed.end() || it->second.record_id != purge.record_id) continue;
    if (!item.contains("seal") || !item["seal"].is_string() || item["seal"].get<std::string>() != it->second.seal)
      return std::pair{it->first, msg<Msg::chain_content_hash_mismatch>()};
    unsealed.erase(it);
  }
  return std::nullopt;
}

}  // namespace

std::string event_digest_input(const Event& e) {
  std::string out;
  write_digest_input(e, e.data_sha256.empty() ? std::string_view(e.data) : std::string_view(e.data_sha256), out);
  return out;
}

std::string event_seal(const Event& e) {
  std::string input;
  write_seal_input(e, input);
  return sha256_hex(input);
}

Event append_event(Store& store, Event e) {
  Store::ChainTip tip = store.chain_tip();
  e.id = tip.id + 1;
  e.prev_hash = std::move(tip.hash);
  e.salt = random_hex(16);
  e.recorded_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  e.data_sha256 = sha256_hex(e.data);
  e.hash = sha256_hex(event_digest_input(e));
  store.insert_event(e);
  return e;
}

ChainCheck verify_chain(Store& store) {
  ChainCheck check;
  std::string prev;
  std::string input;  // one buffer for every event's digest input
  std::int64_t expected_id = 1;
  // Events whose data a purge reduced, waiting for the `purged` event that seals them.
  std::map<std::int64_t, Unsealed> unsealed;
  auto fail = [&](std::int64_t id, Message why) {
    check.ok = false;
    check.first_bad_id = id;
    check.problem = std::move(why);
  };
  // The store streams every event; after the first bad one the rest are only skipped.
  store.each_chain_event([&](const Event& e) {
    if (!check.ok) return;
    ++check.events;
    if (e.id != expected_id) {
      fail(expected_id, msg<Msg::chain_event_missing>(expected_id, e.id));
      return;
    }
    if (e.prev_hash != prev) {
      // The event before has a hash its content does not give, which only a seal could
      // excuse: that is the event changed, not this one's link.
      if (auto before = unsealed.find(e.id - 1); before != unsealed.end() && before->second.hash_bad)
        fail(e.id - 1, msg<Msg::chain_content_hash_mismatch>());
      else
        fail(e.id, msg<Msg::chain_previous_hash_mismatch>());
      return;
    }
    if (e.data_sha256.empty()) {
      // Written before schema 14 and never purged: the hash covers the data itself.
      write_digest_input(e, e.data, input);
      if (!sha256_hex_is(input, e.hash)) {
        fail(e.id, msg<Msg::chain_content_hash_mismatch>());
        return;
      }
    } else {
      // The hash covers the data's digest. Data that no longer has that digest, or an
      // older event whose hash covers its data (gone), must be sealed by a purge later on.
      write_digest_input(e, e.data_sha256, input);
      bool hash_ok = sha256_hex_is(input, e.hash);
      if (!hash_ok || !sha256_hex_is(e.data, e.data_sha256)) {
        write_seal_input(e, input);
        unsealed[e.id] = Unsealed{e.record_id, sha256_hex(input), !hash_ok};
      }
    }
    if (e.type == "purged" && !unsealed.empty()) {
      if (auto problem = check_seals(e, unsealed)) {
        fail(problem->first, std::move(problem->second));
        return;
      }
    }
    prev = e.hash;
    ++expected_id;
  });
  if (check.ok && !unsealed.empty()) fail(unsealed.begin()->first, msg<Msg::chain_content_hash_mismatch>());
  return check;
}

}  // namespace liaison
