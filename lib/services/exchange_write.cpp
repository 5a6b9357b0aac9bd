// The JSON Lines of export written straight into a string: the same bytes as building
// the nlohmann objects of exchange_json.cpp and dumping them (exchange_test.cpp compares
// the two), without the object per field and the parse and re-serialisation of every
// event's data. Stored event data is canonical JSON; when it is in exactly the form
// dump() would give back, it is copied as it is, otherwise it takes the slow road.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exchange.h"
#include "exchange_internal.h"

namespace liaison::exchange_detail {

namespace {

using ordered = nlohmann::ordered_json;

/// Length of the UTF-8 sequence at s[i] when it is well formed (what nlohmann's decoder
/// accepts: no overlong forms, no surrogates, nothing above U+10FFFF), else 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  auto tail = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  const unsigned c = byte(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return tail(i + 1) ? 2 : 0;
  if (c == 0xE0) return tail(i + 1, 0xA0) && tail(i + 2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return tail(i + 1) && tail(i + 2) ? 3 : 0;
  if (c == 0xED) return tail(i + 1, 0x80, 0x9F) && tail(i + 2) ? 3 : 0;
  if (c == 0xF0) return tail(i + 1, 0x90) && tail(i + 2) && tail(i + 3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return tail(i + 1) && tail(i + 2) && tail(i + 3) ? 4 : 0;
  if (c == 0xF4) return tail(i + 1, 0x80, 0x8F) && tail(i + 2) && tail(i + 3) ? 4 : 0;
  return 0;
}

/// The escape dump() writes for a control character or quote, or nullptr when the byte
/// is written as it is.
const char* short_escape(unsigned char c) {
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\f': return "\\f";
    case '\r': return "\\r";
    default: return nullptr;
  }
}

/// Reads stored JSON and says whether dump(parse(text)) gives back exactly `text`:
/// compact, strings escaped the way dump() escapes them, integers only (floats may be
/// rewritten), no key twice in an object (parse keeps one), well-formed UTF-8.
class CanonicalCheck {
 public:
  explicit CanonicalCheck(std::string_view text) : s_(text) {}
  bool ok() { return value(0) && i_ == s_.size(); }

 private:
  static constexpr int kMaxDepth = 64;

  bool value(int depth) {
    if (i_ >= s_.size() || depth > kMaxDepth) return false;
    switch (s_[i_]) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return word("true");
      case 'f': return word("false");
      case 'n': return word("null");
      default: return integer();
    }
  }

  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }

  // An integer as dump() writes it back: no leading zero, no "-0", and few enough digits
  // to stay an integer on parsing (a float would be printed another way).
  bool integer() {
    std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    std::size_t digits = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    std::size_t n = i_ - digits;
    if (n == 0 || n > 18) return false;
    if (s_[digits] == '0' && (n > 1 || digits != start)) return false;
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) return false;
    return true;
  }

  bool string() {
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) return false;
        const char e = s_[i_ + 1];
        if (e == '"' || e == '\\' || e == 'b' || e == 't' || e == 'n' || e == 'f' || e == 'r') {
          i_ += 2;
          continue;
        }
        // dump() writes \u00xx (lowercase) only for the controls without a short escape.
        if (e != 'u' || i_ + 6 > s_.size() || s_.substr(i_ + 2, 2) != "00") return false;
        auto hex = [](char h) { return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1; };
        const int hi = hex(s_[i_ + 4]), lo = hex(s_[i_ + 5]);
        if (hi < 0 || lo < 0) return false;
        const int code = hi * 16 + lo;
        if (code > 0x1F || short_escape(static_cast<unsigned char>(code))) return false;
        i_ += 6;
        continue;
      }
      const std::size_t n = utf8_length(s_, i_);
      if (n == 0) return false;
      i_ += n;
    }
    return false;
  }

  bool array(int depth) {
    ++i_;
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      if (!value(depth + 1) || i_ >= s_.size()) return false;
      if (s_[i_] == ']') return ++i_, true;
      if (s_[i_++] != ',') return false;
    }
  }

  bool object(int depth) {
    ++i_;
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    std::vector<std::string_view> keys;
    for (;;) {
      if (i_ >= s_.size() || s_[i_] != '"') return false;
      const std::size_t start = i_;
      if (!string()) return false;
      const std::string_view key = s_.substr(start, i_ - start);
      for (const auto& k : keys)
        if (k == key) return false;
      keys.push_back(key);
      if (i_ >= s_.size() || s_[i_++] != ':') return false;
      if (!value(depth + 1) || i_ >= s_.size()) return false;
      if (s_[i_] == '}') return ++i_, true;
      if (s_[i_++] != ',') return false;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

void append_time(std::string& out, const WorkCalendar& cal, TimePoint t) {
  out += '"';
  out += cal.format_iso(t);
  out += '"';
}

void append_time(std::string& out, const WorkCalendar& cal, const std::optional<TimePoint>& t) {
  if (t) append_time(out, cal, *t);
  else out += "null";
}

/// `,"key":` — keys are plain ASCII names.
void append_key(std::string& out, std::string_view key, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += key;
  out += "\":";
}

/// `,"key":` and the time (or null).
void append_time_field(std::string& out, const WorkCalendar& cal, std::string_view key,
                       const std::optional<TimePoint>& t) {
  append_key(out, key);
  append_time(out, cal, t);
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  std::size_t size = out.size();
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(s, i);
      if (n == 0) {  // dump() replaces what is not UTF-8: let it
        out.resize(size);
        out += dump(ordered(std::string(s)));
        return;
      }
      out.append(s.data() + i, n);
      i += n;
      continue;
    }
    if (const char* e = short_escape(c)) out += e;
    else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else out += static_cast<char>(c);
    ++i;
  }
  out += '"';
}

bool is_dump_form(std::string_view json) { return CanonicalCheck(json).ok(); }

void append_event_data(std::string& out, std::string_view data) {
  if (is_dump_form(data)) {
    out += data;
    return;
  }
  ordered parsed = ordered::parse(data, nullptr, false);
  if (parsed.is_discarded()) parsed = ordered::object();
  out += dump(parsed);
}

void append_clocks(std::string& out, const std::vector<Clock>& clocks, const WorkCalendar& cal) {
  out += '[';
  bool first = true;
  for (const auto& c : clocks) {
    if (!first) out += ',';
    first = false;
    out += "{\"clock\":";
    append_string(out, c.name);
    append_key(out, "duration");
    append_string(out, c.duration);
    append_time_field(out, cal, "started_at", c.started_at);
    append_time_field(out, cal, "due", c.due);
    append_time_field(out, cal, "stopped_at", c.stopped_at);
    append_key(out, "used_seconds");
    out += c.used_seconds ? std::to_string(*c.used_seconds) : "null";
    append_time_field(out, cal, "paused_since", c.paused_since);
    append_key(out, "paused_seconds");
    out += std::to_string(c.paused_seconds);
    append_key(out, "config_hash");
    append_string(out, c.config_hash);
    append_key(out, "provisional");
    out += c.provisional ? "true" : "false";
    if (c.given) out += ",\"given\":true";  // as clock_json (exchange_json.cpp)
    out += '}';
  }
  out += ']';
}

void append_events(std::string& out, const std::vector<Event>& events, const WorkCalendar& cal) {
  out += '[';
  bool first = true;
  for (const auto& e : events) {
    out += first ? "{" : ",{";
    first = false;
    append_key(out, "type", true);
    append_string(out, e.type);
    append_key(out, "actor");
    append_string(out, e.actor);
    append_time_field(out, cal, "at", e.at);
    append_key(out, "data");
    append_event_data(out, e.data);
    out += '}';
  }
  out += ']';
}

void append_record_fields(std::string& out, const Record& r, bool redacted, const WorkCalendar& cal) {
  auto text = [&](std::string_view key, std::string_view value) {
    append_key(out, key);
    append_string(out, value);
  };
  text("ref", r.ref);
  text("kind", r.kind);
  text("direction", to_string(r.direction));
  text("flow", to_string(r.flow));
  text("subject", r.subject);
  text("body", r.body);
  text("channel", r.channel);
  text("party", r.party);
  text("from_dept", r.from_dept);
  text("owner", r.owner);
  text("assignee", r.assignee);
  text("level", r.level);
  append_key(out, "major");
  out += r.major ? "true" : "false";
  text("status", to_string(r.status));
  append_key(out, "outcome");
  if (r.outcome) append_string(out, to_string(*r.outcome));
  else out += "null";
  text("resolution", r.resolution);
  text("reply_via", r.reply_via);
  text("capa", r.capa);
  text("rule", r.rule);
  append_key(out, "notify");
  out += '[';
  for (std::size_t i = 0; i < r.notify.size(); ++i) {
    if (i) out += ',';
    append_string(out, r.notify[i]);
  }
  out += ']';
  text("escalated_to", r.escalated_to);
  append_time_field(out, cal, "received_at", r.received_at);
  append_time_field(out, cal, "created_at", r.created_at);
  text("created_by", r.created_by);
  append_time_field(out, cal, "ack_due", r.ack_due);
  append_time_field(out, cal, "acked_at", r.acked_at);
  append_time_field(out, cal, "due", r.due);
  append_time_field(out, cal, "closed_at", r.closed_at);
  text("topic", r.topic);
  text("customer_ref", r.customer_ref);
  text("eight_d", r.eight_d);
  text("their_ref", r.their_ref);
  text("compliance_obligation", r.compliance_obligation);
  if (r.purged_at) append_time_field(out, cal, "purged_at", r.purged_at);
  if (r.anonymised_at) append_time_field(out, cal, "anonymised_at", r.anonymised_at);
  append_key(out, "redacted");
  out += redacted ? "true" : "false";
}

void append_record_jsonl(std::string& out, const Record& r, const std::vector<Event>* events, bool redacted,
                         const WorkCalendar& cal) {
  out += "{\"type\":\"record\"";
  append_record_fields(out, r, redacted, cal);
  out += ",\"clocks\":";
  append_clocks(out, r.clocks, cal);
  if (events) {
    out += ",\"events\":";
    append_events(out, *events, cal);
  }
  out += "}\n";
}

}  // namespace liaison::exchange_detail
