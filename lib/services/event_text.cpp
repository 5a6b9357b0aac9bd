#include "event_text.h"

#include <initializer_list>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "messages.h"
#include "services.h"
#include "report_labels.h"

namespace liaison {

namespace {

std::string str(const nlohmann::json& data, const char* key) {
  if (!data.is_object() || !data.contains(key)) return "";
  const auto& v = data[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

/// The non-empty parts, space-separated.
std::string join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts)
    if (!p.empty()) out += (out.empty() ? "" : " ") + p;
  return out;
}

/// The label of a record field an `edited` event names, as `show` labels it.
std::string_view field_label(std::string_view key) {
  if (key == "eight_d") return "8D";
  if (key == "customer_ref") return "customer ref";
  if (key == "capa") return "CAPA";
  if (key == "their_ref") return "their ref";
  if (key == "compliance_obligation") return "compliance obligation";
  return key;
}

/// "/assignee" when there is one.
std::string slash(const nlohmann::json& data, const char* key) {
  std::string v = str(data, key);
  return v.empty() ? "" : "/" + v;
}

}  // namespace

const std::vector<std::string>& event_types() {
  static const std::vector<std::string> types = {
      "filed",    "routed",   "acknowledged", "logged",      "escalated",    "waiting",         "resumed",
      "closed",   "reopened", "reminded",     "party-added", "party-edited", "identity-viewed", "imported",
      "held",     "released",     "purged",      "anonymised", "edited",       "notified",
      "signed",   "approved", "rejected",     "approval-requested", "action-added", "action-done"};
  return types;
}

std::string event_type_name(const std::string& type, Lang lang) {
  const std::string key = "event." + type;
  const std::string_view name = report_label(key, lang);
  return name == key ? type : std::string(name);
}

// English summaries keep their ASCII punctuation and the ids as written; Chinese ones
// translate the words (an outcome, a status, an entry type), name the departments and
// party types (given `names`) and use full-width punctuation.
namespace {

std::string describe_event_data(const Event& e, const nlohmann::json& data, Lang lang, const Config* names);

}  // namespace

std::string describe_event(const Event& e, Lang lang, const Config* names) {
  const nlohmann::json data = nlohmann::json::parse(e.data, nullptr, false);
  if (!data.is_object()) return e.data;
  std::string text = describe_event_data(e, data, lang, names);
  // The files an event added, by name (the redaction mark below the record's level).
  if (auto it = data.find("attachments"); it != data.end() && it->is_array() && !it->empty()) {
    std::string list;
    for (const auto& a : *it) list += (list.empty() ? "" : lang == Lang::zh ? "、" : ", ") + str(a, "name");
    text += (lang == Lang::zh ? "（" : " (") + msg<Msg::event_attachments>(list).render(lang) + (lang == Lang::zh ? "）" : ")");
  }
  return text;
}

namespace {

std::string describe_event_data(const Event& e, const nlohmann::json& data, Lang lang, const Config* names) {
  const bool zh = lang == Lang::zh;
  const std::string colon = zh ? "：" : ": ";
  auto word = [&](const nlohmann::json& d, const char* key) { return std::string(tr(lang, str(d, key))); };
  auto paren = [&](const std::string& text) { return zh ? "（" + text + "）" : "(" + text + ")"; };
  // "(late)" for an obligation met after its deadline (the event's "on_time" false).
  auto late_mark = [&] {
    const bool late = data.contains("on_time") && data["on_time"].is_boolean() && !data["on_time"].get<bool>();
    return late ? paren(std::string(tr(lang, "late"))) : std::string();
  };
  auto dept = [&](const char* key) {
    std::string id = str(data, key);
    if (zh && names)
      if (const Department* d = names->department(id); d && !d->name.empty()) return d->name;
    return id;
  };
  const std::string& t = e.type;
  if (t == "filed") return fmt::format("{} → {}{}", str(data, "subject"), dept("owner"), slash(data, "assignee"));
  // The entry type as written ("[note]"), like the event type beside it in TSV and CSV;
  // in Chinese for people (names given: "[备注]").
  if (t == "logged")
    return fmt::format("[{}] {}", names ? word(data, "entry") : str(data, "entry"), str(data, "text"));
  if (t == "routed")
    return join({fmt::format("{} → {}{}", dept("from"), dept("to"), slash(data, "assignee")), str(data, "reason")});
  if (t == "escalated")
    return fmt::format("→ {}{}{}{}", dept("to"), colon, str(data, "reason"),
                       data.contains("skip_level")
                           ? std::string(zh ? "" : " ") + msg<Msg::event_skip_level>(str(data, "skip_level")).render(lang)
                           : "");
  if (t == "closed") {
    const std::string explanation = str(data, "explanation").empty() ? "" : paren(str(data, "explanation"));
    if (zh) return word(data, "outcome") + colon + str(data, "resolution") + explanation;
    return join({str(data, "outcome") + ":", str(data, "resolution"), explanation});
  }
  if (t == "reopened" || t == "waiting" || t == "held" || t == "released") return str(data, "reason");
  if (t == "acknowledged") return str(data, "note");
  if (t == "purged" || t == "anonymised") return str(data, "rule");
  if (t == "resumed")
    return join({str(data, "note"), str(data, "due").empty() ? "" : msg<Msg::event_due>(str(data, "due")).render(lang)});
  if (t == "identity-viewed") return str(data, "granted_as");
  if (t == "imported")
    return fmt::format("{} → {}{}{}{}{}{}{}", str(data, "subject"), dept("owner"), slash(data, "assignee"),
                       zh ? "，" : ", ", word(data, "status"),
                       str(data, "outcome").empty() ? "" : (zh ? "" : " ") + paren(word(data, "outcome")),
                       zh ? "，" : ", ", msg<Msg::event_from_line>(str(data, "source"), str(data, "line")).render(lang));
  if (t == "reminded") return fmt::format("{} → {}", word(data, "obligation"), str(data, "to"));
  if (t == "party-added") {
    std::string type = word(data, "type");
    if (zh && names)
      if (const PartyType* p = names->party_type(str(data, "type")); p && !p->name.empty()) type = p->name;
    return fmt::format("{} {}{}{}", str(data, "id"), str(data, "name"), zh ? "" : " ", paren(type));
  }
  if (t == "notified") {
    // "→ safety-bureau (phone): note", "late" when it was
    return join({fmt::format("→ {} {}", str(data, "party"), paren(str(data, "via"))), str(data, "note"),
                 late_mark()});
  }
  if (t == "approved" || t == "rejected") {
    // "note", "(late)"; "→ next: USER" when the chain goes on
    std::string next;
    if (data.contains("next") && data["next"].is_object()) {
      const std::string clock = str(data["next"], "clock");  // "approval:<n>:<user>"
      next = "→ " + clock.substr(clock.rfind(':') + 1);
    }
    return join({str(data, t == "approved" ? "note" : "reason"), late_mark(), next});
  }
  if (t == "approval-requested" && data.contains("clock") && data["clock"].is_object()) {
    const std::string clock = str(data["clock"], "clock");
    const std::string purpose =
        str(data, "purpose") == "explanation" ? paren(msg<Msg::event_for_explanation>().render(lang)) : "";
    return join({"→ " + clock.substr(clock.rfind(':') + 1), purpose, str(data, "note")});
  }
  if (t == "action-added" && data.contains("clock") && data["clock"].is_object()) {
    // "A1 → zhang.san: text (due 2026-10-20T17:30+08:00)"
    const std::string clock = str(data["clock"], "clock");  // "action:<n>:<user>"
    const std::string due = str(data["clock"], "due");
    return join({fmt::format("A{} → {}{}{}", action_number(clock), action_owner(clock), colon, str(data, "text")),
                 due.empty() ? "" : paren(msg<Msg::event_due>(due).render(lang))});
  }
  if (t == "action-done") {
    // "A1: evidence", "late" when it was
    return join({fmt::format("A{}{}{}", action_number(str(data, "clock")), colon, str(data, "evidence")), late_mark()});
  }
  if (t == "signed") {
    // "zhang.san: note", "late" when it was
    const std::string clock = str(data, "clock");  // "receipt:<user>"
    return join({clock.substr(clock.find(':') + 1), str(data, "note"), late_mark()});
  }
  if (t == "edited" && data.contains("to") && data["to"].is_object()) {
    // "subject «old» → «new»; topic quality → safety" (an empty value as "—")
    const nlohmann::json from = data.contains("from") ? data["from"] : nlohmann::json::object();
    auto shown = [&](const std::string& key, const std::string& v) {
      if (v.empty()) return std::string("—");
      if (key == "topic" && zh && names)
        if (const Topic* topic = names->topic(v); topic && !topic->name.empty()) return topic->name;
      return key == "subject" || key == "body" ? (zh ? "“" + v + "”" : "\"" + v + "\"") : v;
    };
    std::string out;
    for (const auto& [key, value] : data["to"].items())
      out += fmt::format("{}{} {} → {}", out.empty() ? "" : zh ? "；" : "; ", tr(lang, field_label(key)),
                         shown(key, str(from, key.c_str())), shown(key, value.is_string() ? value.get<std::string>() : ""));
    return out;
  }
  if (t == "party-edited" && data.contains("changes") && data["changes"].is_object()) {
    std::string out = str(data, "id") + (zh ? "：" : ":");
    for (const auto& [key, change] : data["changes"].items())
      out += fmt::format(" {} {} → {}", tr(lang, key), str(change, "from"), str(change, "to"));
    return out;
  }
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

}  // namespace liaison
