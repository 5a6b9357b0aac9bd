#include "checkpoint.h"

#include <date/date.h>
#include <fmt/format.h>

#include <sstream>

#include "access.h"
#include "chain.h"
#include "errors.h"

namespace liaison {

namespace {

constexpr std::string_view kBegin = "-----BEGIN LIAISON CHECKPOINT-----";
constexpr std::string_view kEnd = "-----END LIAISON CHECKPOINT-----";

/// "2026-12-06T01:02:03Z": UTC, so a checkpoint reads the same whatever the zone.
std::string utc_text(TimePoint t) { return date::format("%FT%TZ", t); }

std::optional<TimePoint> parse_utc(const std::string& text) {
  if (text.size() != 20 || text.back() != 'Z') return std::nullopt;
  std::istringstream in(text);
  TimePoint t;
  in >> date::parse("%FT%TZ", t);
  if (in.fail() || utc_text(t) != text) return std::nullopt;
  return t;
}

bool is_hex(std::string_view s, std::size_t digits) {
  return s.size() == digits && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

CheckpointCheck fail(CheckpointCheck check, Message why) {
  check.problem = std::move(why);
  return check;
}

}  // namespace

std::string checkpoint_statement(std::int64_t event_id, std::string_view hash, TimePoint at,
                                 std::string_view public_hex) {
  return fmt::format("liaison checkpoint 1\nevent: {}\nhash: {}\nat: {}\nkey: {}\n", event_id, hash, utc_text(at),
                     public_hex);
}

Checkpoint write_checkpoint(Context& ctx, const SigningKey& key) {
  ctx.access().require_checkpoint();
  auto tx = ctx.store.write();
  Store::ChainTip tip = ctx.store.chain_tip();
  if (tip.id == 0) throw StateError(msg<Msg::nothing_to_checkpoint>(), msg<Msg::file_record_first>());
  Checkpoint c;
  c.event_id = tip.id;
  c.event_hash = std::move(tip.hash);
  // The real clock, whatever --now says: a checkpoint states when it was made.
  c.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  c.public_key = key.public_hex();
  c.statement = checkpoint_statement(c.event_id, c.event_hash, c.at, c.public_key);
  c.signature = key.sign_hex(c.statement);
  ctx.store.insert_checkpoint(c);
  tx->commit();
  return c;
}

std::string checkpoint_text(const Checkpoint& c) {
  return fmt::format("{}\nevent: {}\nhash: {}\nat: {}\nkey: {}\nsignature: {}\n{}\n", kBegin, c.event_id, c.event_hash,
                     utc_text(c.at), c.public_key, c.signature, kEnd);
}

std::vector<Checkpoint> parse_checkpoints(std::string_view text, std::string_view source) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(trim(text.substr(start, nl - start)));
    start = nl + 1;
  }
  std::vector<Checkpoint> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != kBegin) continue;
    const std::size_t number = out.size() + 1;
    auto malformed = [&](Message why) {
      return DataError(msg<Msg::checkpoint_malformed>(std::string(source), number, std::move(why)),
                       msg<Msg::give_checkpoint_text>());
    };
    // The five lines in their order, then END.
    auto value = [&](std::string_view name) -> std::string {
      ++i;
      std::string prefix = std::string(name) + ":";
      if (i >= lines.size() || lines[i].substr(0, prefix.size()) != prefix)
        throw malformed(msg<Msg::checkpoint_expected_line>(std::string(name)));
      return std::string(trim(lines[i].substr(prefix.size())));
    };
    auto bad = [&](const std::string& v, std::string_view what) {
      return malformed(msg<Msg::checkpoint_bad_value>(v, std::string(what)));
    };
    Checkpoint c;
    std::string event = value("event");
    if (event.empty() || event.size() > 18 || event.find_first_not_of("0123456789") != std::string::npos ||
        event[0] == '0')
      throw bad(event, "event");
    c.event_id = std::stoll(event);
    c.event_hash = value("hash");
    if (!is_hex(c.event_hash, 64)) throw bad(c.event_hash, "hash");
    std::string at = value("at");
    auto t = parse_utc(at);
    if (!t) throw bad(at, "at");
    c.at = *t;
    c.public_key = value("key");
    if (!is_hex(c.public_key, 64)) throw bad(c.public_key, "key");
    c.signature = value("signature");
    if (!is_hex(c.signature, 128)) throw bad(c.signature, "signature");
    ++i;
    if (i >= lines.size() || lines[i] != kEnd) throw malformed(msg<Msg::checkpoint_unterminated>());
    c.statement = checkpoint_statement(c.event_id, c.event_hash, c.at, c.public_key);
    out.push_back(std::move(c));
  }
  return out;
}

CheckpointCheck verify_checkpoints(Store& store, const std::vector<Checkpoint>& checkpoints,
                                   const std::optional<std::string>& trusted_key) {
  CheckpointCheck check;
  for (const Checkpoint& c : checkpoints) {
    const std::string when = utc_text(c.at);
    // The signature covers the statement the fields make, whatever the text around them.
    const std::string statement = checkpoint_statement(c.event_id, c.event_hash, c.at, c.public_key);
    if (!ed25519_verify(c.public_key, statement, c.signature))
      return fail(check, msg<Msg::checkpoint_signature_bad>(c.event_id, when));
    if (trusted_key && c.public_key != *trusted_key)
      return fail(check, msg<Msg::checkpoint_other_key>(c.event_id, when, c.public_key.substr(0, 16)));
    auto hash = store.event_hash(c.event_id);
    if (!hash) return fail(check, msg<Msg::checkpoint_event_removed>(c.event_id, when, store.last_event_id()));
    if (*hash != c.event_hash) return fail(check, msg<Msg::checkpoint_hash_differs>(c.event_id, when));
    ++check.checked;
  }
  return check;
}

CheckpointCheck verify_stored_checkpoints(Store& store, const std::string& trusted_key) {
  std::vector<Checkpoint> stored;
  store.each_checkpoint([&](const Checkpoint& c) { stored.push_back(c); });
  if (stored.empty()) {
    CheckpointCheck none;
    none.none = true;
    return fail(std::move(none), msg<Msg::no_checkpoint_by_trusted_key>());
  }
  return verify_checkpoints(store, stored, trusted_key);
}

}  // namespace liaison
