// Input checked at the edge, once, the same way for every command: text is UTF-8 and
// within its size limit (lib/core/field_limits.h), times lie in the range liaison keeps. A
// writing command checks what it was given before it writes anything, so bad input is a
// clear error (exit 65 or 2), never a history that `audit verify` then rejects.
#pragma once
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "field_limits.h"
#include "messages.h"
#include "model.h"

namespace liaison {

/// The earliest time liaison keeps: 1970-01-01T00:00:00Z (times before it cannot be
/// read back the same in every zone).
TimePoint earliest_time();
/// The latest time a command may act at or give: 9999-12-01T00:00:00Z, which leaves a
/// month for deadlines, none of which may fall after 9999-12-31T23:59:59Z.
TimePoint latest_time();
/// The last moment a deadline may fall on: 9999-12-31T23:59:59Z (a year of four digits).
TimePoint latest_deadline();

/// DataError (exit 65) when `text` is not valid UTF-8 ("{what} is not valid UTF-8 (byte
/// N)", with the iconv hint) or is longer than `limit` bytes.
void check_text(const Message& what, std::string_view text, std::size_t limit);

/// check_text on every string inside `data` (an event's data, nested or not), each named
/// by its key; a subject may be `limits.subject` bytes, anything else `limits.text`.
void check_event_data(const nlohmann::json& data, const limits::TextLimits& limits = {});

/// Whether `t` lies between earliest_time() and latest_time().
bool time_in_range(TimePoint t);

/// DataError (exit 65) when a deadline `due` of the clock named `clock` falls after
/// latest_deadline().
void check_deadline(std::string_view clock, TimePoint due);

}  // namespace liaison
