// Export: records as CSV rows (and JSON Lines via exchange_json.cpp), streamed from the
// store with access control and redaction (exchange.h).
#include "exchange.h"

#include <algorithm>
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "errors.h"
#include "exchange_internal.h"
#include "hash.h"
#include "mail.h"
#include "render.h"

namespace liaison {

using exchange_detail::append_clocks;
using exchange_detail::append_events;
using exchange_detail::append_record_jsonl;
using exchange_detail::record_object;
using ordered = nlohmann::ordered_json;

std::string csv_header(bool with_events) {
  std::string out;
  for (const auto& f : record_fields()) {
    if (f == "events" && !with_events) continue;
    if (!out.empty()) out += ',';
    out += f;
  }
  return out + "\r\n";
}

std::string record_to_csv(const Record& r, const std::vector<Event>* events, bool redacted,
                          const WorkCalendar& cal) {
  std::string out;
  auto cell = [&](std::string_view v) {
    if (!out.empty()) out += ',';
    out += csv_field(v);
  };
  ordered fields = record_object(r, redacted, cal);
  for (auto& [k, v] : fields.items()) {
    if (v.is_string()) cell(v.get_ref<const std::string&>());
    else if (v.is_null()) cell("");
    else if (v.is_boolean()) cell(v.get<bool>() ? "true" : "false");
    else if (k == "notify") {
      std::string joined;
      for (const auto& d : r.notify) joined += (joined.empty() ? "" : ",") + d;
      cell(joined);
    }
  }
  std::string json;
  append_clocks(json, r.clocks, cal);
  cell(json);
  if (events) {
    json.clear();
    append_events(json, *events, cal);
    cell(json);
  }
  return out + "\r\n";
}

std::string attachment_to_jsonl(const std::string& ref, std::int64_t event_position, const Attachment& a,
                                std::string_view content) {
  ordered line = {{"type", "attachment"}, {"ref", ref},          {"event", event_position},
                  {"n", a.n},             {"name", a.name},       {"media_type", a.media_type},
                  {"size", a.size},       {"sha256", a.sha256},   {"content", base64_encode(content)}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

namespace {

/// The attachment lines of record `r`, whose exported events are `events`; how many.
std::int64_t write_attachments(Store& store, const Record& r, const std::vector<Event>& events, std::ostream& out) {
  AttachmentStore* kept = store.attachment_store();
  // A tombstone's attachments have neither name nor bytes to carry (liaison purge).
  if (!kept || r.purged_at) return 0;
  std::int64_t written = 0;
  for (const auto& a : kept->attachments_for(r.id)) {
    auto at = std::find_if(events.begin(), events.end(), [&](const Event& e) { return e.id == a.event_id; });
    auto content = kept->blob(a.sha256);
    if (at == events.end() || !content || !sha256_hex_is(*content, a.sha256))
      throw StoreError(msg<Msg::attachment_bytes_altered>(r.ref, a.n), msg<Msg::run_audit_verify_restore>());
    out << attachment_to_jsonl(r.ref, at - events.begin() + 1, a, *content);
    ++written;
  }
  return written;
}

}  // namespace

ExportCounts export_records(Store& store, const WorkCalendar& cal, const Access& access, Lang lang,
                            const ExportRequest& req, std::ostream& out) {
  ExportCounts counts;
  if (req.format == ExchangeFormat::jsonl) {
    // The parties the records refer to come first, so an import into an empty database
    // finds each record's party already there.
    for (const auto& id : store.record_parties(req.filter))
      if (auto p = store.find_party(id)) {
        out << party_to_jsonl(*p, cal);
        ++counts.parties;
      }
  } else {
    out << csv_header(req.with_events);
  }
  std::string line;  // one buffer for every line: no allocation per record once it has grown
  store.each_record(req.filter, [&](Record& r) {
    r.clocks = store.clocks_for(r.id);
    bool redacted = !access.may_read(r.level);
    std::vector<Event> events;
    if (req.with_events) {
      events = store.events_for(r.id);
      if (redacted)
        for (auto& e : events) e = redact(std::move(e), r.level, access, lang);
      counts.events += static_cast<std::int64_t>(events.size());
    }
    if (redacted) {
      r = redact(std::move(r), access, lang);
      ++counts.redacted;
    }
    const std::vector<Event>* history = req.with_events ? &events : nullptr;
    if (req.format == ExchangeFormat::jsonl) {
      line.clear();
      append_record_jsonl(line, r, history, redacted, cal);
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
      // A redacted record's events say that it has attachments, and nothing more.
      if (req.with_attachments && !redacted) counts.attachments += write_attachments(store, r, events, out);
    } else {
      out << record_to_csv(r, history, redacted, cal);
    }
    ++counts.records;
  });
  out.flush();
  return counts;
}

}  // namespace liaison
