// Helpers the files of the export and import (exchange.h) share: the record's JSON
// object, its clocks and history as JSON, and the compact dump.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar.h"
#include "model.h"

namespace liaison::exchange_detail {

nlohmann::ordered_json clocks_json(const std::vector<Clock>& clocks, const WorkCalendar& cal);
/// A history as JSON: the definition append_events must write byte for byte (export and
/// import no longer build it; tests/exchange_test.cpp holds the two together).
nlohmann::ordered_json events_json(const std::vector<Event>& events, const WorkCalendar& cal);
std::string dump(const nlohmann::ordered_json& j);

/// The record's fields in record_fields() order (without clocks and events).
nlohmann::ordered_json record_object(const Record& r, bool redacted, const WorkCalendar& cal);

// The same JSON written straight into `out`, byte for byte what dump() makes of the
// objects above (exchange_write.cpp), for export's millions of lines.
/// A string as dump() writes it, quotes included.
void append_string(std::string& out, std::string_view s);
/// True when dump(parse(json)) is exactly `json`, so stored JSON can be copied as it is.
bool is_dump_form(std::string_view json);
/// An event's stored data as events_json() writes it: copied when is_dump_form, else
/// parsed and dumped ({} when it does not parse).
void append_event_data(std::string& out, std::string_view data);
/// dump(clocks_json(clocks)).
void append_clocks(std::string& out, const std::vector<Clock>& clocks, const WorkCalendar& cal);
/// dump(events_json(events)).
void append_events(std::string& out, const std::vector<Event>& events, const WorkCalendar& cal);
/// The members of record_object(): `,"ref":…` up to `,"redacted":…`, each after a comma.
void append_record_fields(std::string& out, const Record& r, bool redacted, const WorkCalendar& cal);
/// record_to_jsonl() appended to `out`.
void append_record_jsonl(std::string& out, const Record& r, const std::vector<Event>* events, bool redacted,
                         const WorkCalendar& cal);

}  // namespace liaison::exchange_detail
