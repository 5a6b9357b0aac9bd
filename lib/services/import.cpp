// Import: the decoded lines written in one transaction, each record with its "imported"
// event, and the reference sequences carried on (exchange.h).
#include "exchange.h"

#include <algorithm>
#include <cstring>
#include <istream>
#include <map>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "attachments.h"
#include "audit.h"
#include "chain.h"
#include "errors.h"
#include "exchange_internal.h"
#include "ids.h"

namespace liaison {

using exchange_detail::clocks_json;
using exchange_detail::dump;
using exchange_detail::record_object;

std::optional<std::pair<std::string, std::int64_t>> reference_sequence(const std::string& pattern,
                                                                       const std::string& ref) {
  std::size_t p = 0, r = 0;
  int year = -1;
  std::int64_t seq = -1;
  auto digits = [&](std::size_t max, std::int64_t& value) {
    std::size_t start = r;
    value = 0;
    while (r < ref.size() && r - start < max && ref[r] >= '0' && ref[r] <= '9') value = value * 10 + (ref[r++] - '0');
    return r > start;
  };
  while (p < pattern.size()) {
    if (pattern.compare(p, 6, "{year}") == 0) {
      std::int64_t y = 0;
      std::size_t start = r;
      if (!digits(4, y) || r - start != 4) return std::nullopt;
      year = static_cast<int>(y);
      p += 6;
    } else if (pattern.compare(p, 4, "{seq") == 0) {
      if (!digits(18, seq)) return std::nullopt;
      auto close = pattern.find('}', p);
      p = close == std::string::npos ? pattern.size() : close + 1;
    } else {
      if (r >= ref.size() || ref[r] != pattern[p]) return std::nullopt;
      ++p, ++r;
    }
  }
  if (r != ref.size() || seq < 0) return std::nullopt;
  if (year < 0) year = 0;
  // Exactly what the pattern writes (zero padding included), or it is not one of ours.
  if (format_reference(pattern, year, seq) != ref) return std::nullopt;
  return std::make_pair(sequence_name(pattern, year), seq);
}

namespace {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;

/// The data of an "imported" event: the record's state as imported (what a "filed"
/// event says, plus what later events would have said: status, outcome, resolution,
/// acknowledgement, closing, escalation, and every clock with its due, stop, use and
/// pause), then where it came from. `audit verify` replays the history from it.
/// The listing copies ack_due and due are left out: they are the clocks' dues.
/// Canonical like every event's data: sorted keys, compact.
std::string imported_data(const Record& r, const WorkCalendar& cal, const std::string& source, std::int64_t line) {
  ordered state = record_object(r, false, cal);
  for (const char* derived : {"ref", "redacted", "ack_due", "due"}) state.erase(derived);
  state["clocks"] = clocks_json(r.clocks, cal);
  state["source"] = source;
  state["line"] = line;
  return json::parse(dump(state)).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Lines of a stream, read in large blocks; a line longer than the limit is reported,
/// not held.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in), buffer_(1 << 16) {}
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (position_ == size_) {
        in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        size_ = static_cast<std::size_t>(in_.gcount());
        position_ = 0;
        if (size_ == 0) break;
      }
      any = true;
      const char* start = buffer_.data() + position_;
      const char* end = buffer_.data() + size_;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(end - start)));
      const char* stop = nl ? nl : end;
      if (!too_long) {
        line.append(start, stop);
        if (line.size() > exchange_limits::kLine) {
          too_long = true;
          line.clear();
        }
      }
      bytes_ += static_cast<std::uint64_t>(stop - start) + (nl ? 1 : 0);
      position_ = static_cast<std::size_t>(stop - buffer_.data()) + (nl ? 1 : 0);
      if (nl) break;
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number_ == 0 && line.compare(0, 3, "\xef\xbb\xbf") == 0) line.erase(0, 3);
    ++line_number_;
    return true;
  }
  std::int64_t line_number() const { return line_number_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t position_ = 0, size_ = 0;
  std::uint64_t bytes_ = 0;
  std::int64_t line_number_ = 0;
};

json party_data(const Party& p) {
  return {{"id", p.id},       {"name", p.name},   {"type", p.type},         {"contact", p.contact},
          {"phone", p.phone}, {"email", p.email}, {"address", p.address}, {"notes", p.notes}};
}

/// Writes the decoded items inside the import's transaction.
class Importer {
 public:
  Importer(Context& ctx, const ImportRequest& req, ImportResult& result) : ctx_(ctx), result_(result) {
    source_ = req.source == "-" ? "stdin" : req.source;
  }

  void add(ImportItem& item) {
    if (item.type == ImportItem::Type::party) add_party(item);
    else if (item.type == ImportItem::Type::attachment) add_attachment(item);
    else add_record(item);
  }

  /// Every attachment an imported history lists must have come in the file: otherwise
  /// `audit verify` would find events naming files that are not kept.
  void check_attachments_given() {
    for (const auto& [record, listed] : outstanding_)
      for (const auto& [key, a] : listed)
        result_.problems.push_back({record.first, "events",
                                    msg<Msg::imp_attachment_not_in_file>(a.n, key.first, record.second),
                                    msg<Msg::imp_export_with_attachments>()});
  }

  /// Numbering continues after the highest imported reference of each sequence.
  void advance_sequences() {
    for (const auto& [name, last] : sequences_) ctx_.store.advance_sequence(name, last);
  }

 private:
  void problem(const ImportItem& item, std::string field, Message message, Message hint) {
    result_.problems.push_back({item.line, std::move(field), std::move(message), std::move(hint)});
  }

  void add_party(ImportItem& item) {
    Party& p = item.party;
    if (auto existing = ctx_.store.find_party(p.id)) {
      const std::pair<const char*, std::pair<const std::string*, const std::string*>> fields[] = {
          {"name", {&existing->name, &p.name}},          {"party_type", {&existing->type, &p.type}},
          {"contact", {&existing->contact, &p.contact}}, {"phone", {&existing->phone, &p.phone}},
          {"email", {&existing->email, &p.email}},       {"address", {&existing->address, &p.address}},
          {"notes", {&existing->notes, &p.notes}}};
      for (const auto& [name, values] : fields)
        if (*values.first != *values.second) {
          problem(item, name, msg<Msg::imp_party_registered_differently>(p.id, name, *values.first),
                  msg<Msg::imp_make_line_match_or_edit>(p.id));
          return;
        }
      known_parties_.insert(p.id);
      ++result_.parties_kept;
      return;
    }
    if (p.created_at == TimePoint{}) p.created_at = ctx_.now;
    ctx_.store.insert_party(p);
    json data = party_data(p);
    data["source"] = source_;
    data["line"] = item.line;
    Event e;
    e.type = "party-added";
    e.actor = ctx_.actor;
    e.at = ctx_.now;
    e.data = data.dump(-1, ' ', false, json::error_handler_t::replace);
    append_event(ctx_.store, std::move(e));
    ++result_.events;
    known_parties_.insert(p.id);
    ++result_.parties;
  }

  void add_record(ImportItem& item) {
    Record& r = item.record;
    bool ok = true;
    if (!r.party.empty() && !known_parties_.count(r.party)) {
      if (ctx_.store.find_party(r.party)) {
        known_parties_.insert(r.party);
      } else {
        problem(item, "party", msg<Msg::no_party>(r.party), msg<Msg::imp_register_party_first>());
        ok = false;
      }
    }
    if (ctx_.store.record_exists(r.ref)) {
      auto existing = ctx_.store.find_record(r.ref);
      bool in_file = existing && first_id_ && existing->id >= first_id_;
      problem(item, "ref",
              in_file ? msg<Msg::imp_duplicate_reference_in_file>(r.ref) : msg<Msg::imp_duplicate_reference_in_database>(r.ref),
              in_file ? msg<Msg::imp_each_record_once>() : msg<Msg::imp_leave_out_or_other_database>());
      ok = false;
    }
    // A schedule's period has one record (schedule run): not a second from the file.
    for (const Event& e : item.events) {
      if (e.type != "filed") continue;
      const auto data = nlohmann::json::parse(e.data, nullptr, false);
      if (!data.is_object() || !data.contains("schedule") || !data["schedule"].is_object()) continue;
      const std::string id = data["schedule"].value("id", ""), period = data["schedule"].value("period", "");
      if (auto other = ctx_.store.scheduled_record(id, period)) {
        problem(item, "events[1].data.schedule", msg<Msg::imp_schedule_period_taken>(id, period, *other),
                msg<Msg::imp_leave_out_or_other_database>());
        ok = false;
      }
    }
    if (!ok) return;
    if (r.created_by.empty()) r.created_by = ctx_.actor;
    r.id = ctx_.store.insert_record(r);
    if (!first_id_) first_id_ = r.id;
    if (item.has_events) {
      // The record must be what its history gives, as `audit verify` replays it: an
      // edited subject, a history that does not begin with `filed`, clocks that do not
      // follow from their events are refused here, not found by the next audit.
      std::vector<Event> history;
      last_ = {r.ref, r.id, item.line, {}};
      for (auto& e : item.events) {
        e.record_id = r.id;
        e.ref = r.ref;
        history.push_back(append_event(ctx_.store, std::move(e)));
        ++result_.events;
        last_->event_ids.push_back(history.back().id);
        for (auto& [n, a] : attachments_in_event(history.back()))
          // A tombstone's attachments have no name and no bytes left to bring (liaison purge).
          if (!(r.purged_at && a.name.empty()))
            outstanding_[{item.line, r.ref}][{static_cast<std::int64_t>(history.size()), n}] = std::move(a);
      }
      Record stored = r;
      if (auto m = check_record_state(stored, history)) {
        problem(item, m->field == "history" ? "events" : m->field,
                describe_mismatch(*m, [&](TimePoint t) { return ctx_.calendar.format_iso(t); }),
                msg<Msg::imp_history_must_give_record>());
        return;
      }
    } else {
      last_.reset();
      Event e;
      e.record_id = r.id;
      e.ref = r.ref;
      e.type = "imported";
      e.actor = ctx_.actor;
      e.at = ctx_.now;
      e.data = imported_data(r, ctx_.calendar, source_, item.line);
      append_event(ctx_.store, std::move(e));
      ++result_.events;
    }
    for (const auto* pattern : {&ctx_.config.numbering.internal, &ctx_.config.numbering.external})
      if (auto seq = reference_sequence(*pattern, r.ref)) {
        auto& last = sequences_[seq->first];
        last = std::max(last, seq->second);
        break;
      }
    ++result_.records;
  }

  /// An attachment line: after its record's line, naming an attachment that record's
  /// history lists, with the same description (its bytes were checked by decode_jsonl).
  void add_attachment(ImportItem& item) {
    const Attachment& a = item.attachment;
    if (!last_ || last_->ref != item.attachment_ref) {
      problem(item, "ref", msg<Msg::imp_attachment_not_after_record>(item.attachment_ref),
              msg<Msg::imp_attachment_after_record>());
      return;
    }
    const auto position = item.attachment_event;
    if (position < 1 || position > static_cast<std::int64_t>(last_->event_ids.size())) {
      problem(item, "event", msg<Msg::imp_attachment_event_out_of_range>(position, last_->ref, last_->event_ids.size()),
              msg<Msg::imp_export_with_attachments>());
      return;
    }
    auto record = outstanding_.find({last_->line, last_->ref});
    const Attachment* said = nullptr;
    if (record != outstanding_.end())
      if (auto it = record->second.find({position, a.n}); it != record->second.end()) said = &it->second;
    if (!said || said->name != a.name || said->media_type != a.media_type || said->size != a.size ||
        said->sha256 != a.sha256) {
      problem(item, "n", msg<Msg::imp_attachment_not_listed>(a.n, position, last_->ref),
              msg<Msg::imp_export_with_attachments>());
      return;
    }
    auto& kept = require(ctx_.store, ctx_.store.attachment_store(), msg<Msg::can_keep_attachments>());
    Attachment row = *said;
    row.record_id = last_->record_id;
    row.event_id = last_->event_ids[static_cast<std::size_t>(position - 1)];
    kept.put_blob(row.sha256, item.content);
    kept.insert_attachment(row);
    record->second.erase({position, a.n});
    if (record->second.empty()) outstanding_.erase(record);
    ++result_.attachments;
  }

  Context& ctx_;
  ImportResult& result_;
  std::string source_;
  std::int64_t first_id_ = 0;
  std::unordered_set<std::string> known_parties_;
  std::map<std::string, std::int64_t> sequences_;
  /// The last record imported with its history: the one attachment lines may follow.
  struct LastRecord {
    std::string ref;
    std::int64_t record_id = 0, line = 0;
    std::vector<std::int64_t> event_ids;  ///< the ids its events were given here, in order
  };
  std::optional<LastRecord> last_;
  /// The attachments imported histories list and no line has brought yet: by (record's
  /// line, ref), then (event position, number).
  std::map<std::pair<std::int64_t, std::string>, std::map<std::pair<std::int64_t, std::int64_t>, Attachment>> outstanding_;
};

}  // namespace

ImportResult import_records(Context& ctx, std::istream& in, const ImportRequest& req) {
  ImportResult result;
  auto tx = ctx.store.write();
  ctx.store.expect_bulk_write();
  // However the import ends, the store stops deferring (and forgets, unless committing).
  struct BulkWrite {
    Store& store;
    bool finished = false;
    ~BulkWrite() {
      if (!finished) store.finish_bulk_write(false);
    }
  } bulk{ctx.store};
  Importer importer(ctx, req, result);
  std::int64_t items = 0;
  auto full = [&] {
    if (result.problems.size() < req.max_problems) return false;
    result.stopped = true;
    return true;
  };
  auto tick = [&](std::uint64_t bytes) {
    if (req.progress && ++items % 4096 == 0) req.progress(bytes, items);
  };
  auto take = [&](std::optional<ImportItem>& item, std::size_t before) {
    // A line with any problem is not written; the others are, so later lines can be
    // checked against them (duplicates), and all is rolled back at the end.
    if (item && result.problems.size() == before) importer.add(*item);
  };
  if (req.format == ExchangeFormat::jsonl) {
    LineReader lines(in);
    std::string line;
    bool too_long = false;
    while (!full() && lines.next(line, too_long)) {
      std::int64_t n = lines.line_number();
      std::size_t before = result.problems.size();
      if (too_long) {
        result.problems.push_back({n, {}, msg<Msg::imp_line_too_long>(exchange_limits::kLine), msg<Msg::imp_fit_the_limits>()});
        continue;
      }
      auto item = decode_jsonl(line, n, ctx.config, ctx.calendar, result.problems);
      take(item, before);
      tick(lines.bytes());
    }
  } else {
    CsvReader reader(in);
    std::vector<std::string> cells;
    std::int64_t n = 0;
    bool too_long = false;
    std::optional<std::vector<std::string>> header;
    if (!reader.next(cells, n, too_long)) {
      result.problems.push_back({1, {}, msg<Msg::imp_empty_file>(), msg<Msg::imp_first_line_names_columns>()});
    } else if (!(header = decode_csv_header(cells, n, result.problems))) {
      // Nothing can be read without the header.
    } else {
      while (!full() && reader.next(cells, n, too_long)) {
        std::size_t before = result.problems.size();
        if (too_long) {
          result.problems.push_back({n, {}, msg<Msg::imp_row_too_long>(exchange_limits::kLine), msg<Msg::imp_fit_the_limits>()});
          continue;
        }
        auto item = decode_csv_row(*header, cells, n, ctx.config, ctx.calendar, result.problems);
        take(item, before);
        tick(reader.bytes());
      }
    }
  }
  if (result.problems.size() > req.max_problems) result.problems.resize(req.max_problems);
  if (result.problems.empty()) importer.check_attachments_given();
  if (result.problems.size() > req.max_problems) result.problems.resize(req.max_problems);
  if (result.problems.empty()) importer.advance_sequences();
  if (result.problems.empty() && !req.dry_run) {
    bulk.finished = true;
    ctx.store.finish_bulk_write(true);  // in the transaction: all of it is committed, or none
    tx->commit();
    result.committed = true;
  }
  return result;
}

}  // namespace liaison
