#include "input.h"

#include <map>
#include <string>

#include <date/date.h>

#include "errors.h"
#include "field_limits.h"
#include "utf8.h"

namespace liaison {

namespace {

TimePoint at_utc(date::year_month_day day, std::chrono::seconds time = {}) {
  return TimePoint{date::sys_days{day}.time_since_epoch() + time};
}

/// An event data key as the messages name it: the subject, the resolution … or the field "key".
Message field_name(const std::string& key) {
  static const std::map<std::string, Msg, std::less<>> names = {
      {"subject", Msg::the_subject}, {"resolution", Msg::the_resolution},
      {"reason", Msg::the_reason},   {"text", Msg::the_text_to_log}};
  if (auto it = names.find(key); it != names.end()) return Message(it->second, {});
  return msg<Msg::the_field>(key);
}

void check_strings(const nlohmann::json& value, const std::string& key, const limits::TextLimits& limits) {
  if (value.is_string()) {
    check_text(field_name(key), value.get_ref<const std::string&>(), key == "subject" ? limits.subject : limits.text);
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) check_strings(*it, it.key(), limits);
  } else if (value.is_array()) {
    for (const auto& v : value) check_strings(v, key, limits);
  }
}

}  // namespace

TimePoint earliest_time() { return at_utc(date::year{1970} / 1 / 1); }
TimePoint latest_time() { return at_utc(date::year{9999} / 12 / 1); }
TimePoint latest_deadline() { return at_utc(date::year{9999} / 12 / 31, std::chrono::seconds{86399}); }

void check_text(const Message& what, std::string_view text, std::size_t limit) {
  if (auto bad = invalid_utf8_at(text); bad != std::string_view::npos)
    throw DataError(msg<Msg::text_not_utf8>(what, bad + 1), msg<Msg::convert_to_utf8>());
  if (text.size() > limit) throw DataError(msg<Msg::text_too_long>(what, text.size(), limit), msg<Msg::shorten_or_attach>());
}

void check_event_data(const nlohmann::json& data, const limits::TextLimits& limits) {
  check_strings(data, "", limits);
}

bool time_in_range(TimePoint t) { return t >= earliest_time() && t <= latest_time(); }

void check_deadline(std::string_view clock, TimePoint due) {
  if (due > latest_deadline())
    throw DataError(msg<Msg::deadline_out_of_range>(clock), msg<Msg::check_now_and_received>());
}

}  // namespace liaison
