// Helpers the files of the export and import (exchange.h) share: the record's JSON
// object, its clocks and history as JSON, and the compact dump.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar.h"
#include "model.h"

namespace liaison::exchange_detail {

nlohmann::ordered_json clocks_json(const std::vector<Clock>& clocks, const WorkCalendar& cal);
nlohmann::ordered_json events_json(const std::vector<Event>& events, const WorkCalendar& cal);
std::string dump(const nlohmann::ordered_json& j);

/// The record's fields in record_fields() order (without clocks and events).
nlohmann::ordered_json record_object(const Record& r, bool redacted, const WorkCalendar& cal);

}  // namespace liaison::exchange_detail
