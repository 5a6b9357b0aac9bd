// What an event did, in one line: the history of `show` and the summary column of
// `audit log` say it alike.
#pragma once
#include <string>
#include <vector>

#include "config.h"
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
/// as compact JSON. `lang` is the reader's language; in Chinese, with `names` given (output
/// for people: tables, Markdown), the departments, party types and entry types are shown by
/// their names ("→ 品质部", "[电话]").
std::string describe_event(const Event& event, Lang lang, const Config* names = nullptr);

/// The name of an event type in `lang` ("filed", "登记"); a type this version does not know,
/// as it is.
std::string event_type_name(const std::string& type, Lang lang);

}  // namespace liaison
