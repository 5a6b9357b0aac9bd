#include "audit.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "services.h"

namespace liaison {
namespace {

/// An event's data read once, as a flat tree of its values: no DOM, two vectors reused
/// from one event of a history to the next. The JSON liaison writes is read by a plain
/// reader (read_plain); anything else, by nlohmann's SAX parser — json::parse's grammar —
/// so exactly the texts json::parse reads are readable, with the same values. Where an
/// object repeats a key, the last value counts, as json::parse keeps it.
class EventData {
  enum class Kind : std::uint8_t { null, boolean, integer, number, string, array, object };
  struct Node {
    Kind kind = Kind::null;
    bool boolean = false;
    std::int64_t integer = 0;            ///< also an unsigned one, cast as json's get<std::int64_t>
    std::size_t key_at = 0, key_size = 0;    ///< a member's key, in text_
    std::size_t text_at = 0, text_size = 0;  ///< a string, in text_
    std::int32_t first = -1;             ///< the first element or member
    std::int32_t next = -1;              ///< the next element or member of its parent
  };

 public:
  /// One value; "absent" when asked for a member or element that is not there (every
  /// is_… false then).
  class Value {
   public:
    bool present() const { return node_ != nullptr; }
    bool is_null() const { return is(Kind::null); }
    bool is_boolean() const { return is(Kind::boolean); }
    bool is_integer() const { return is(Kind::integer); }
    bool is_string() const { return is(Kind::string); }
    bool is_array() const { return is(Kind::array); }
    bool is_object() const { return is(Kind::object); }
    bool boolean() const { return node_->boolean; }
    std::int64_t integer() const { return node_->integer; }
    std::string_view text() const { return data_->text(node_->text_at, node_->text_size); }
    /// An object's member `key` (the last, if repeated); absent for anything else.
    Value operator[](std::string_view key) const {
      Value found{data_, nullptr};
      if (!is_object()) return found;
      for (std::int32_t i = node_->first; i >= 0; i = data_->nodes_[i].next) {
        const Node& member = data_->nodes_[i];
        if (data_->text(member.key_at, member.key_size) == key) found.node_ = &member;
      }
      return found;
    }
    /// Calls `each` with every element of an array, in order; nothing for anything else.
    template <class F>
    void each_element(F&& each) const {
      if (!is_array()) return;
      for (std::int32_t i = node_->first; i >= 0; i = data_->nodes_[i].next) each(Value{data_, &data_->nodes_[i]});
    }

   private:
    friend class EventData;
    Value(const EventData* data, const Node* node) : data_(data), node_(node) {}
    bool is(Kind k) const { return node_ && node_->kind == k; }
    const EventData* data_;
    const Node* node_;
  };

  /// Reads `json`; false (and nothing to look at) when it is not one JSON value.
  bool read(std::string_view json) {
    clear();
    if (read_plain(json)) return true;
    // Not plain, or not JSON at all: the full parser decides.
    clear();
    Reader reader{*this};
    bool ok = nlohmann::json::sax_parse(json.data(), json.data() + json.size(), &reader);
    if (!ok) nodes_.clear();
    return ok && !nodes_.empty();
  }
  /// The value read (read must have returned true).
  Value root() const { return Value{this, &nodes_.front()}; }

 private:
  std::vector<Node> nodes_;
  std::string text_;  ///< every key and string, one after the other
  struct Open {
    std::int32_t node;
    std::int32_t last = -1;  ///< its last element or member so far
  };
  std::vector<Open> open_;  ///< the arrays and objects being read, innermost last
  std::size_t key_at_ = 0, key_size_ = 0;  ///< the key just read

  void clear() {
    nodes_.clear();
    text_.clear();
    open_.clear();
  }

  /// Reads the plain JSON liaison writes: no \u escape, no byte-order mark, numbers only
  /// integers of at most 18 digits; strings in valid UTF-8 (RFC 3629). False at the first
  /// byte outside that — anything else, an error included — and the caller hands the text
  /// to the full parser, so this one only ever accepts what json::parse accepts, with the
  /// same values, about ten times faster.
  bool read_plain(std::string_view json) {
    const char* p = json.data();
    const char* const end = p + json.size();
    auto blank = [&] {
      while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    };
    // A string at p (its opening quote) appended to text_; its size, or nullopt.
    auto string = [&]() -> std::optional<std::size_t> {
      if (p == end || *p != '"') return std::nullopt;
      const std::size_t start = text_.size();
      ++p;
      for (;;) {
        const char* run = p;
        while (p < end) {
          auto b = static_cast<unsigned char>(*p);
          if (b < 0x20 || b == '"' || b == '\\' || b >= 0x80) break;
          ++p;
        }
        text_.append(run, p);
        if (p == end) return std::nullopt;
        auto b = static_cast<unsigned char>(*p);
        if (b == '"') {
          ++p;
          return text_.size() - start;
        }
        if (b < 0x20) return std::nullopt;
        if (b == '\\') {
          if (end - p < 2) return std::nullopt;
          static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
          auto which = kFrom.find(p[1]);
          if (which == std::string_view::npos) return std::nullopt;  // \u…, or not JSON
          text_ += kTo[which];
          p += 2;
          continue;
        }
        // A multi-byte UTF-8 sequence: the lead byte says the range of the next byte
        // (Unicode's table 3-7), the others are 80..BF.
        int more = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) more = 1;
        else if (b == 0xE0) more = 2, low = 0xA0;
        else if (b == 0xED) more = 2, high = 0x9F;
        else if (b >= 0xE1 && b <= 0xEF) more = 2;
        else if (b == 0xF0) more = 3, low = 0x90;
        else if (b >= 0xF1 && b <= 0xF3) more = 3;
        else if (b == 0xF4) more = 3, high = 0x8F;
        else return std::nullopt;
        if (end - p <= more) return std::nullopt;
        for (int i = 1; i <= more; ++i) {
          auto c = static_cast<unsigned char>(p[i]);
          if (c < (i == 1 ? low : 0x80) || c > (i == 1 ? high : 0xBF)) return std::nullopt;
        }
        text_.append(p, p + more + 1);
        p += more + 1;
      }
    };
    // The member's key, its colon and the blanks after.
    auto member_key = [&] {
      key_at_ = text_.size();
      auto size = string();
      if (!size) return false;
      key_size_ = *size;
      blank();
      if (p == end || *p != ':') return false;
      ++p;
      blank();
      return true;
    };
    auto literal = [&](std::string_view word) {
      if (static_cast<std::size_t>(end - p) < word.size() || std::string_view(p, word.size()) != word) return false;
      p += word.size();
      return true;
    };
    blank();
    for (;;) {
      // A value at p.
      if (p == end) return false;
      if (*p == '{' || *p == '[') {
        const bool object = *p == '{';
        ++p;
        open(object ? Kind::object : Kind::array);
        blank();
        if (p < end && *p == (object ? '}' : ']')) {
          ++p;
          open_.pop_back();  // empty; what follows it is read below
        } else {
          if (object && !member_key()) return false;
          continue;  // its first value
        }
      } else if (*p == '"') {
        Node n{Kind::string};
        n.text_at = text_.size();
        auto size = string();
        if (!size) return false;
        n.text_size = *size;
        add(n);
      } else if (*p == 't' || *p == 'f') {
        const bool b = *p == 't';
        if (!literal(b ? "true" : "false")) return false;
        add(Node{Kind::boolean, b});
      } else if (*p == 'n') {
        if (!literal("null")) return false;
        add(Node{Kind::null});
      } else {
        const bool negative = *p == '-';
        if (negative) ++p;
        const char* digits = p;
        while (p < end && *p >= '0' && *p <= '9') ++p;
        const auto n = p - digits;
        if (n == 0 || n > 18 || (n > 1 && *digits == '0')) return false;
        if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return false;
        std::int64_t value = 0;
        for (const char* d = digits; d < p; ++d) value = value * 10 + (*d - '0');
        add(Node{Kind::integer, false, negative ? -value : value});
      }
      // After a value: the end, or what comes next in the array or object it is in.
      for (;;) {
        blank();
        if (open_.empty()) return p == end;
        if (p == end) return false;
        const bool object = nodes_[open_.back().node].kind == Kind::object;
        if (*p == ',') {
          ++p;
          blank();
          if (object && !member_key()) return false;
          break;  // the next value
        }
        if (*p != (object ? '}' : ']')) return false;
        ++p;
        open_.pop_back();
      }
    }
  }

  std::string_view text(std::size_t at, std::size_t size) const { return std::string_view(text_).substr(at, size); }
  std::size_t keep(const std::string& s) {
    text_ += s;
    return text_.size() - s.size();
  }
  bool add(Node n) {
    const auto index = static_cast<std::int32_t>(nodes_.size());
    if (!open_.empty()) {
      Open& parent = open_.back();
      if (nodes_[parent.node].kind == Kind::object) {
        n.key_at = key_at_;
        n.key_size = key_size_;
      }
      (parent.last < 0 ? nodes_[parent.node].first : nodes_[parent.last].next) = index;
      parent.last = index;
    }
    nodes_.push_back(n);
    return true;
  }
  bool open(Kind k) {
    add(Node{k});
    open_.push_back(Open{static_cast<std::int32_t>(nodes_.size() - 1)});
    return true;
  }

  /// nlohmann's SAX interface (json_sax), writing into an EventData.
  struct Reader {
    EventData& d;
    using json = nlohmann::json;
    bool null() { return d.add(Node{Kind::null}); }
    bool boolean(bool b) { return d.add(Node{Kind::boolean, b}); }
    bool number_integer(json::number_integer_t n) { return d.add(Node{Kind::integer, false, n}); }
    bool number_unsigned(json::number_unsigned_t n) {
      return d.add(Node{Kind::integer, false, static_cast<std::int64_t>(n)});
    }
    bool number_float(json::number_float_t, const json::string_t&) { return d.add(Node{Kind::number}); }
    bool string(json::string_t& s) {
      Node n{Kind::string};
      n.text_size = s.size();
      n.text_at = d.keep(s);
      return d.add(n);
    }
    bool binary(json::binary_t&) { return d.add(Node{Kind::null}); }  // not in JSON text
    bool start_object(std::size_t) { return d.open(Kind::object); }
    bool key(json::string_t& k) {
      d.key_size_ = k.size();
      d.key_at_ = d.keep(k);
      return true;
    }
    bool end_object() {
      d.open_.pop_back();
      return true;
    }
    bool start_array(std::size_t) { return d.open(Kind::array); }
    bool end_array() {
      d.open_.pop_back();
      return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
  };
};

using Value = EventData::Value;

/// The fields compared, in the order they are compared (and a mismatch is looked for).
enum class Field {
  status, owner, assignee, outcome, resolution, reply_via, capa, acked_at, closed_at, escalated_to, level, major,
  ack_due, due, kind, direction, flow, subject, body, channel, party, from_dept, rule, notify, received_at,
  created_at, created_by, purged_at, anonymised_at, topic, customer_ref, eight_d, their_ref, compliance_obligation,
  count
};
constexpr std::size_t kFields = static_cast<std::size_t>(Field::count);
/// Each field's name, as a mismatch reports it and as the event data's key for it.
constexpr std::array<const char*, kFields> kFieldNames = {
    "status",    "owner",     "assignee", "outcome", "resolution", "reply_via", "capa",
    "acked_at",  "closed_at", "escalated_to", "level", "major",    "ack_due",   "due",
    "kind",      "direction", "flow",     "subject", "body",       "channel",   "party",
    "from_dept", "rule",      "notify",   "received_at", "created_at", "created_by",
    "purged_at", "anonymised_at", "topic", "customer_ref", "eight_d", "their_ref", "compliance_obligation"};
const char* name(Field f) { return kFieldNames[static_cast<std::size_t>(f)]; }

/// One clock as the history gives it, with the event that set each part.
struct ClockState {
  std::string name;
  std::int64_t created_by = 0;            ///< the event that started it
  std::optional<TimePoint> started_at;    ///< nullopt: the history does not say
  std::optional<TimePoint> due;
  bool due_known = false;
  std::int64_t due_by = 0;
  std::optional<TimePoint> stopped_at;
  std::int64_t stopped_by = 0;
  std::optional<std::int64_t> used_seconds;  ///< nullopt: the history does not say (or, if used_known, none)
  bool used_known = false;                ///< the history says used_seconds, none included
  std::int64_t used_by = 0;
  std::optional<TimePoint> paused_since;
  std::int64_t paused_by = 0;
  bool given = false;                     ///< the sender gave its deadline ("given": true)
};

/// The expected value of a field and the event that set it.
struct Expected {
  bool given = false;                     ///< false: the history never sets it (not compared)
  FieldValue value;
  std::int64_t event_id = 0;
};

/// The state a history gives.
class Replay {
 public:
  /// `ref` and `record_id` name the record in the problems found ("EXT-2026-00001",
  /// "record id 7").
  Replay(const std::string& ref, std::int64_t record_id) : ref_(ref), record_id_(record_id) {}

  /// The first problem with the history itself (empty if none).
  Message problem;
  std::int64_t problem_event = 0;
  std::array<Expected, kFields> fields;
  std::vector<ClockState> clocks;

  const Expected& expected(Field f) const { return fields[static_cast<std::size_t>(f)]; }

  /// Applies `e`, its data read into `reader`.
  void apply(const Event& e, bool first, EventData& reader) {
    if (!reader.read(e.data) || !reader.root().is_object())
      return fail(e.id, msg<Msg::event_holds_no_readable_data>(who(), e.id));
    const Value data = reader.root();
    // A record's history starts with its filing, or with its import without a history.
    bool starts = e.type == "filed" || e.type == "imported";
    if (first != starts)
      return fail(e.id, first ? msg<Msg::history_starts_event_not_filed_imported>(who(), e.id, e.type)
                      : e.type == "filed" ? msg<Msg::event_files_record_second_time>(who(), e.id)
                                          : msg<Msg::event_imports_record_second_time>(who(), e.id));
    if (e.type == "filed") filed(e, data);
    else if (e.type == "imported") imported(e, data);
    else if (e.type == "routed") {
      text(Field::owner, data, "to", e.id);
      text(Field::assignee, data, "assignee", e.id);
    } else if (e.type == "acknowledged") {
      time(Field::acked_at, e.at, e.id);
      if (status_ == "open") set_status("acknowledged", e.id);
      acked_ = true;
      if (ClockState* c = clock("ack"); c && !c->stopped_at) {
        stop(*c, e.at, e.id);
        if (Value used = data["used_seconds"]; used.is_integer()) {
          c->used_seconds = used.integer();
          c->used_by = e.id;
        }
      }
    } else if (e.type == "escalated") {
      text(Field::escalated_to, data, "to", e.id);
    } else if (e.type == "waiting") {
      set_status("waiting", e.id);
      if (ClockState* c = clock("resolve")) {
        c->paused_since = e.at;
        c->paused_by = e.id;
      }
    } else if (e.type == "resumed") {
      set_status(acked_ ? "acknowledged" : "open", e.id);
      if (ClockState* c = clock("resolve")) {
        if (c->paused_since) c->paused_by = e.id;
        c->paused_since.reset();
        if (auto due = time_of(data, "due")) {
          c->due = due;
          c->due_known = true;
          c->due_by = e.id;
        }
      }
      dues(e.id);
    } else if (e.type == "closed") {
      set_status("closed", e.id);
      text(Field::outcome, data, "outcome", e.id);
      text(Field::resolution, data, "resolution", e.id);
      text(Field::reply_via, data, "reply_via", e.id);
      text(Field::capa, data, "capa", e.id);
      text(Field::eight_d, data, "eight_d", e.id);  // absent: the 8D number as it was
      time(Field::closed_at, e.at, e.id);
      const Value used = data["clocks"];  // {"ack": {"used_seconds": …}, …}; anything else gives none
      for (auto& c : clocks) {
        if (!c.stopped_at && owed_past_close(c.name)) continue;  // still owed (close_record)
        if (!c.stopped_at) {
          if (c.paused_since) c.paused_by = e.id;
          c.paused_since.reset();
          stop(c, e.at, e.id);
        }
        if (Value seconds = used[c.name]["used_seconds"]; seconds.is_integer() && c.used_seconds != seconds.integer()) {
          c.used_seconds = seconds.integer();
          c.used_by = e.id;
        }
      }
    } else if (e.type == "reopened") {
      set_status("acknowledged", e.id);
      if (!acked_) time(Field::acked_at, e.at, e.id);
      acked_ = true;
      set_text(Field::outcome, "", e.id);
      set_text(Field::resolution, "", e.id);
      set_text(Field::reply_via, "", e.id);
      time(Field::closed_at, std::nullopt, e.id);
      std::erase_if(clocks, [](const ClockState& c) { return c.name == "resolve"; });
      if (Value c = data["clock"]; c.is_object()) add_clock(c, e.id);
      dues(e.id);
    } else if (e.type == "notified" || e.type == "signed" || e.type == "approved" || e.type == "rejected" ||
               e.type == "action-done") {
      // Its clock ("notify:<party>", "receipt:<user>", "approval:<n>:<user>",
      // "action:<n>:<user>") stops at its
      // time, having used what it says; stopping ends a wait.
      if (Value name = data["clock"]; name.is_string())
        if (ClockState* c = clock(name.text()); c && !c->stopped_at) {
          if (c->paused_since) c->paused_by = e.id;
          c->paused_since.reset();
          stop(*c, e.at, e.id);
          if (Value used = data["used_seconds"]; used.is_integer()) {
            c->used_seconds = used.integer();
            c->used_by = e.id;
          }
        }
      // The next approver's turn: their wait ends, their deadline (if any) runs.
      if (Value next = data["next"]; next.is_object())
        if (Value name = next["clock"]; name.is_string())
          if (ClockState* c = clock(name.text())) {
            if (c->paused_since) c->paused_by = e.id;
            c->paused_since.reset();
            if (Value due = next["due"]; due.present()) {
              c->due_known = due.is_null() || due.is_string();
              c->due = time_of(next, "due");
              c->due_by = e.id;
            }
          }
    } else if (e.type == "approval-requested" || e.type == "action-added") {
      if (Value c = data["clock"]; c.is_object()) add_clock(c, e.id);
    } else if (e.type == "edited") {
      // {"from": {field: before}, "to": {field: after}}: the fields it names take their "to".
      const Value to = data["to"];
      for (Field f : {Field::subject, Field::body, Field::topic, Field::customer_ref, Field::eight_d, Field::capa,
                      Field::their_ref, Field::compliance_obligation})
        text(f, to, name(f), e.id);
    } else if (e.type == "purged") {
      time(Field::purged_at, e.at, e.id);
    } else if (e.type == "anonymised") {
      time(Field::anonymised_at, e.at, e.id);
    }
  }

 private:
  const std::string& ref_;
  std::int64_t record_id_;
  std::string status_;
  bool acked_ = false;

  Message who() const { return record_name(ref_, record_id_); }
  void fail(std::int64_t id, Message why) {
    if (!problem.empty()) return;
    problem = std::move(why);
    problem_event = id;
  }
  Expected& slot(Field f) { return fields[static_cast<std::size_t>(f)]; }
  void set_text(Field f, std::string_view v, std::int64_t id) {
    Expected& x = slot(f);
    x.given = true;
    x.value.is_time = false;
    x.value.text.assign(v);
    x.value.time.reset();
    x.event_id = id;
  }
  void time(Field f, std::optional<TimePoint> t, std::int64_t id) {
    Expected& x = slot(f);
    x.given = true;
    x.value.is_time = true;
    x.value.text.clear();
    x.value.time = t;
    x.event_id = id;
  }
  void set_status(std::string_view s, std::int64_t id) {
    status_ = s;
    set_text(Field::status, s, id);
  }
  /// field = data[key] when the data has it as text.
  void text(Field f, const Value& data, const char* key, std::int64_t id) {
    if (Value v = data[key]; v.is_string()) set_text(f, v.text(), id);
  }
  static std::optional<TimePoint> time_of(const Value& data, const char* key) {
    Value v = data[key];
    if (!v.is_string()) return std::nullopt;
    return parse_iso_time(v.text());
  }
  ClockState* clock(std::string_view name) {
    for (auto& c : clocks)
      if (c.name == name) return &c;
    return nullptr;
  }
  /// Stops a clock; the time it used is what the stopping event says, if it says.
  static void stop(ClockState& c, TimePoint at, std::int64_t id) {
    c.stopped_at = at;
    c.stopped_by = id;
    c.used_seconds.reset();
    c.used_known = false;
  }
  ClockState* add_clock(const Value& j, std::int64_t id) {
    Value name = j["clock"];
    if (!name.is_string()) return nullptr;
    ClockState c;
    c.name = name.text();
    c.created_by = c.due_by = c.stopped_by = c.paused_by = c.used_by = id;
    c.started_at = time_of(j, "started_at");
    c.paused_since = time_of(j, "paused_since");  // an approval waiting its turn
    if (Value given = j["given"]; given.is_boolean()) c.given = given.boolean();
    if (Value due = j["due"]; due.present()) {
      c.due_known = due.is_null() || due.is_string();
      c.due = time_of(j, "due");
    }
    std::erase_if(clocks, [&](const ClockState& other) { return other.name == c.name; });
    clocks.push_back(std::move(c));
    return &clocks.back();
  }
  /// The record's copies of the ack and resolve deadlines follow the clocks.
  void dues(std::int64_t id) {
    const ClockState* ack = clock("ack");
    const ClockState* resolve = clock("resolve");
    if (!ack || ack->due_known) time(Field::ack_due, ack ? ack->due : std::nullopt, ack ? ack->due_by : id);
    if (!resolve || resolve->due_known)
      time(Field::due, resolve ? resolve->due : std::nullopt, resolve ? resolve->due_by : id);
  }

  /// `major` and `notify` as a filed or imported event gives them (absent: not compared).
  void major_and_notify(const Value& data, std::int64_t event_id) {
    if (Value major = data["major"]; major.is_boolean()) set_text(Field::major, major.boolean() ? "true" : "false", event_id);
    if (Value list = data["notify"]; list.is_array()) {
      std::string notify;
      list.each_element([&](const Value& n) {
        if (!n.is_string()) return;
        if (!notify.empty()) notify += ',';
        notify += n.text();
      });
      set_text(Field::notify, notify, event_id);
    }
  }

  /// topic, customer_ref, eight_d, their_ref and compliance_obligation as a filed or
  /// imported event gives them: written only
  /// when not empty, so absent means "" (also in the events of versions before them).
  void optional_text(const Value& data, std::int64_t event_id) {
    for (Field f : {Field::topic, Field::customer_ref, Field::eight_d, Field::their_ref, Field::compliance_obligation}) {
      Value v = data[name(f)];
      set_text(f, v.is_string() ? v.text() : "", event_id);
    }
  }

  void filed(const Event& e, const Value& data) {
    for (Field f : {Field::kind, Field::direction, Field::subject, Field::body, Field::channel, Field::party,
                    Field::from_dept, Field::owner, Field::assignee, Field::level, Field::rule})
      text(f, data, name(f), e.id);
    Value flow = data["flow"];
    set_text(Field::flow, flow.is_string() ? flow.text() : "none", e.id);
    major_and_notify(data, e.id);
    optional_text(data, e.id);
    if (auto received = time_of(data, "received_at")) time(Field::received_at, received, e.id);
    time(Field::created_at, e.at, e.id);
    set_text(Field::created_by, e.actor, e.id);
    set_status("open", e.id);
    time(Field::acked_at, std::nullopt, e.id);
    time(Field::closed_at, std::nullopt, e.id);
    time(Field::purged_at, std::nullopt, e.id);
    time(Field::anonymised_at, std::nullopt, e.id);
    for (Field f : {Field::outcome, Field::resolution, Field::reply_via, Field::capa, Field::escalated_to})
      set_text(f, "", e.id);
    clocks.clear();
    data["clocks"].each_element([&](const Value& c) {
      if (c.is_object()) add_clock(c, e.id);
    });
    dues(e.id);
  }

  /// The state as imported, all of it in the event's data (lib/services/import.cpp imported_data).
  void imported(const Event& e, const Value& data) {
    // Written by liaison import before the event carried the state: nothing to check against.
    Value status = data["status"];
    if (!status.is_string()) return fail(e.id, msg<Msg::event_imported_does_not_say_record>(who(), e.id));
    for (Field f : {Field::kind, Field::direction, Field::flow, Field::subject, Field::body, Field::channel,
                    Field::party, Field::from_dept, Field::owner, Field::assignee, Field::level, Field::rule,
                    Field::resolution, Field::reply_via, Field::capa, Field::escalated_to, Field::created_by})
      text(f, data, name(f), e.id);
    Value outcome = data["outcome"];
    set_text(Field::outcome, outcome.is_string() ? outcome.text() : "", e.id);
    optional_text(data, e.id);
    major_and_notify(data, e.id);
    // Times: null means none; a time the data does not hold is not checked.
    for (Field f : {Field::received_at, Field::created_at, Field::acked_at, Field::closed_at})
      if (Value v = data[name(f)]; v.is_null() || v.is_string()) time(f, time_of(data, name(f)), e.id);
    set_status(status.text(), e.id);
    time(Field::purged_at, time_of(data, "purged_at"), e.id);
    time(Field::anonymised_at, time_of(data, "anonymised_at"), e.id);
    acked_ = data["acked_at"].is_string();
    clocks.clear();
    data["clocks"].each_element([&](const Value& j) {
      ClockState* c = j.is_object() ? add_clock(j, e.id) : nullptr;
      if (!c) return;
      c->stopped_at = time_of(j, "stopped_at");
      c->paused_since = time_of(j, "paused_since");
      if (Value used = j["used_seconds"]; used.is_null() || used.is_integer()) {
        c->used_known = true;
        if (used.is_integer()) c->used_seconds = used.integer();
      }
    });
    dues(e.id);
  }
};

FieldValue text_of(std::string v) { return FieldValue{false, std::move(v), std::nullopt}; }
FieldValue time_of(std::optional<TimePoint> t) { return FieldValue{true, {}, t}; }

/// A stored record's field, its text seen in place.
struct StoredField {
  bool is_time = false;
  std::string_view text;
  std::optional<TimePoint> time;

  bool operator==(const FieldValue& v) const {
    return is_time == v.is_time && (is_time ? time == v.time : text == v.text);
  }
  FieldValue value() const { return FieldValue{is_time, std::string(text), time}; }
};

/// The stored record's field `f`; `notify` holds the joined notify list when f is notify.
StoredField stored_field(const Record& r, Field f, std::string& notify) {
  auto text = [](std::string_view v) { return StoredField{false, v, std::nullopt}; };
  auto time = [](std::optional<TimePoint> t) { return StoredField{true, {}, t}; };
  switch (f) {
    case Field::status: return text(to_string(r.status));
    case Field::owner: return text(r.owner);
    case Field::assignee: return text(r.assignee);
    case Field::outcome: return text(r.outcome ? to_string(*r.outcome) : "");
    case Field::resolution: return text(r.resolution);
    case Field::reply_via: return text(r.reply_via);
    case Field::capa: return text(r.capa);
    case Field::acked_at: return time(r.acked_at);
    case Field::closed_at: return time(r.closed_at);
    case Field::escalated_to: return text(r.escalated_to);
    case Field::level: return text(r.level);
    case Field::major: return text(r.major ? "true" : "false");
    case Field::ack_due: return time(r.ack_due);
    case Field::due: return time(r.due);
    case Field::kind: return text(r.kind);
    case Field::direction: return text(to_string(r.direction));
    case Field::flow: return text(to_string(r.flow));
    case Field::subject: return text(r.subject);
    case Field::body: return text(r.body);
    case Field::channel: return text(r.channel);
    case Field::party: return text(r.party);
    case Field::from_dept: return text(r.from_dept);
    case Field::rule: return text(r.rule);
    case Field::notify:
      notify.clear();
      for (const auto& n : r.notify) {
        if (!notify.empty()) notify += ',';
        notify += n;
      }
      return text(notify);
    case Field::received_at: return time(r.received_at);
    case Field::created_at: return time(r.created_at);
    case Field::created_by: return text(r.created_by);
    case Field::purged_at: return time(r.purged_at);
    case Field::anonymised_at: return time(r.anonymised_at);
    case Field::topic: return text(r.topic);
    case Field::customer_ref: return text(r.customer_ref);
    case Field::eight_d: return text(r.eight_d);
    case Field::their_ref: return text(r.their_ref);
    case Field::compliance_obligation: return text(r.compliance_obligation);
    case Field::count: break;
  }
  return {};
}

std::optional<StateMismatch> compare_clocks(const Record& r, const Replay& replay) {
  auto mismatch = [&](std::string field, FieldValue stored, FieldValue expected, std::int64_t id) {
    return StateMismatch{r.ref, r.id, std::move(field), std::move(stored), std::move(expected), id, {}};
  };
  for (const ClockState& want : replay.clocks) {
    auto have = std::find_if(r.clocks.begin(), r.clocks.end(), [&](const Clock& c) { return c.name == want.name; });
    if (have == r.clocks.end())
      return mismatch(fmt::format("clock {}", want.name), text_of(""), text_of("present"), want.created_by);
    auto field = [&](const char* part) { return fmt::format("clock {} {}", want.name, part); };
    if (want.started_at && have->started_at != *want.started_at)
      return mismatch(field("started_at"), time_of(have->started_at), time_of(want.started_at), want.created_by);
    if (have->given != want.given)
      return mismatch(field("given"), text_of(have->given ? "true" : "false"), text_of(want.given ? "true" : "false"),
                      want.created_by);
    if (want.due_known && have->due != want.due)
      return mismatch(field("due"), time_of(have->due), time_of(want.due), want.due_by);
    if (have->stopped_at != want.stopped_at)
      return mismatch(field("stopped_at"), time_of(have->stopped_at), time_of(want.stopped_at),
                      want.stopped_at ? want.stopped_by : want.created_by);
    if ((want.used_seconds || want.used_known) && have->used_seconds != want.used_seconds)
      return mismatch(field("used_seconds"),
                      text_of(have->used_seconds ? std::to_string(*have->used_seconds) : ""),
                      text_of(want.used_seconds ? std::to_string(*want.used_seconds) : ""), want.used_by);
    if (have->paused_since != want.paused_since)
      return mismatch(field("paused_since"), time_of(have->paused_since), time_of(want.paused_since), want.paused_by);
  }
  for (const Clock& have : r.clocks) {
    bool known = std::any_of(replay.clocks.begin(), replay.clocks.end(),
                             [&](const ClockState& c) { return c.name == have.name; });
    if (!known) {
      const Expected& filed = replay.expected(Field::created_at);
      return mismatch(fmt::format("clock {}", have.name), text_of("present"), text_of(""),
                      filed.given ? filed.event_id : 0);
    }
  }
  return std::nullopt;
}

int digits(std::string_view text, std::size_t pos, std::size_t n) {
  int value = 0;
  if (pos + n > text.size()) return -1;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + n, value);
  return ec == std::errc{} && end == text.data() + pos + n ? value : -1;
}

}  // namespace

std::optional<TimePoint> parse_iso_time(std::string_view t) {
  // 2026-09-30T17:30:00+08:00 or 2026-09-30T09:30:00Z
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') return std::nullopt;
  int y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  int h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int offset = 0;
  std::string_view zone = t.substr(19);
  if (zone == "Z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (oh < 0 || om < 0) return std::nullopt;
    offset = (oh * 60 + om) * 60 * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return TimePoint{date::sys_days{ymd}} + std::chrono::seconds{h * 3600 + mi * 60 + s - offset};
}

Message record_name(const std::string& ref, std::int64_t record_id) {
  return ref.empty() ? msg<Msg::record_id_n>(record_id) : msg<Msg::text_as_given>(ref);
}

Message describe_mismatch(const StateMismatch& m, const std::function<std::string(TimePoint)>& format_time) {
  if (!m.problem.empty()) return m.problem;
  auto shown = [&](const FieldValue& v) {
    if (v.is_time) return v.time ? msg<Msg::text_as_given>(format_time(*v.time)) : msg<Msg::none_value>();
    return v.text.empty() ? msg<Msg::none_value>() : msg<Msg::text_as_given>(v.text);
  };
  Message source = m.event_id ? msg<Msg::event_n>(m.event_id) : msg<Msg::no_event>();
  return msg<Msg::but_history_gives>(record_name(m.ref, m.record_id), m.field, shown(m.stored), shown(m.expected),
                                     std::move(source));
}

std::optional<StateMismatch> check_record_state(const Record& r, const std::vector<Event>& history) {
  Replay replay(r.ref, r.id);
  EventData data;
  for (std::size_t i = 0; i < history.size(); ++i) {
    replay.apply(history[i], i == 0, data);
    if (!replay.problem.empty()) break;
  }
  if (history.empty()) replay.problem = msg<Msg::record_has_no_history_no_filed>(record_name(r.ref, r.id));
  if (!replay.problem.empty()) {
    StateMismatch m;
    m.ref = r.ref;
    m.record_id = r.id;
    m.field = "history";
    m.event_id = replay.problem_event;
    m.problem = replay.problem;
    return m;
  }
  std::string notify;
  for (std::size_t i = 0; i < kFields; ++i) {
    const auto f = static_cast<Field>(i);
    const Expected& want = replay.expected(f);
    if (!want.given) continue;
    if (StoredField stored = stored_field(r, f, notify); !(stored == want.value))
      return StateMismatch{r.ref, r.id, name(f), stored.value(), want.value, want.event_id, {}};
  }
  return compare_clocks(r, replay);
}

}  // namespace liaison
