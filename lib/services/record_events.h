// Appending an event to a record's history as the lifecycle services do it, for the
// services kept in files of their own (retention.cpp). Internal to lib/services.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "model.h"
#include "services.h"

namespace liaison {

/// Appends an event of `type` with `data` on `r` by ctx.actor at ctx.now (and ctx.by, if
/// any): refused when ctx.now is later than the clock or earlier than the record's
/// latest event, and its texts checked (UTF-8, limits) before anything is written.
Event append_record_event(Context& ctx, const Record& r, std::string type, const nlohmann::json& data);

}  // namespace liaison
