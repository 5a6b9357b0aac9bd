// What an event did, in one line: the history of `show` and the summary column of
// `audit log` say it alike.
#pragma once
#include <string>
#include <vector>

#include "i18n.h"
#include "model.h"

namespace liaison {

/// The event types this version writes, in lifecycle order (`audit log --type` accepts
/// these and any type the history holds).
const std::vector<std::string>& event_types();

/// One line saying what `event` did, from its data, which the caller has already
/// redacted for the reader (lib/policy/access.h): "subject → owner/assignee" for filed,
/// "[call] text" for logged, "from → to/assignee reason" for routed, and so on for every
/// type of event_types(); data of an unknown type (a newer version's) is shown as it is,
/// as compact JSON. `lang` is the reader's language.
std::string describe_event(const Event& event, Lang lang);

}  // namespace liaison
