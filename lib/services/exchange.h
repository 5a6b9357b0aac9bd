// Export and import of records: a record with its clocks (and, on request,
// its history) ↔ one JSON Lines object or one CSV row, with stable field names and times
// in ISO 8601 with the organisation's offset; parties travel as their own JSON Lines.
// Import validates every line and field, and writes everything in one transaction or
// nothing. The formats, fields and limits are documented in liaison-export(1) and
// liaison-import(1); both stream, so a million records never sit in memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "access.h"
#include "calendar.h"
#include "config.h"
#include "i18n.h"
#include "field_limits.h"
#include "model.h"
#include "services.h"
#include "store.h"

namespace liaison {

/// The two exchange formats.
enum class ExchangeFormat { jsonl, csv };

/// Size limits of imported values, in bytes (documented in liaison-import(1)).
namespace exchange_limits = limits;  // lib/core/field_limits.h: the same for every input

/// The record fields in their export order (CSV header, JSON keys after "type").
const std::vector<std::string>& record_fields();
/// A record's own fields under their stable names, in record_fields() order, times ISO
/// 8601 with the organisation's offset: what `export` writes and `show`/`list --format
/// json` print (without clocks, events or the export's "redacted").
nlohmann::ordered_json record_fields_json(const Record& record, const WorkCalendar& calendar);
/// One clock as export writes it (clock, duration, started_at, due, stopped_at,
/// used_seconds, paused_since, paused_seconds, config_hash, provisional).
nlohmann::ordered_json clock_json(const Clock& clock, const WorkCalendar& calendar);
/// A record as `show` and `list --format json` print it: record_fields_json, "overdue"
/// at `now` (is_overdue), and, when it has any, its "clocks" (clock_json and "met":
/// stopped on or before due, null while running).
nlohmann::json record_json(const Record& record, const WorkCalendar& calendar, TimePoint now);
/// A party's registry fields (id, name, type, contact, phone, email, address, notes): what
/// `party show` prints (with created_at) and the party events record.
nlohmann::json party_json(const Party& party);

/// One party as a JSON Lines line ({"type":"party", …}), newline included.
std::string party_to_jsonl(const Party& party, const WorkCalendar& calendar);
/// One record as a JSON Lines line; `events` (when not null) become its "events" array.
/// `redacted` says the texts were replaced because of the reader's clearance.
std::string record_to_jsonl(const Record& record, const std::vector<Event>* events, bool redacted,
                            const WorkCalendar& calendar);
/// The CSV header line (CRLF-ended); an "events" column last when `with_events`.
std::string csv_header(bool with_events);
/// One record as a CSV row (RFC 4180, CRLF-ended), fields in csv_header's order.
std::string record_to_csv(const Record& record, const std::vector<Event>* events, bool redacted,
                          const WorkCalendar& calendar);

/// What `liaison export` writes.
struct ExportRequest {
  RecordFilter filter;
  ExchangeFormat format = ExchangeFormat::jsonl;
  bool with_events = false;
  /// After each record's line, one {"type":"attachment", …} line per file attached to it
  /// with its bytes in base64 (JSON Lines with events only; none for a redacted record).
  bool with_attachments = false;
};
/// What an export wrote.
struct ExportCounts {
  std::int64_t records = 0;
  std::int64_t parties = 0;
  std::int64_t events = 0;
  std::int64_t redacted = 0;   ///< records whose texts the reader may not see
  std::int64_t attachments = 0;
};
/// Writes the records the filter selects (JSON Lines: preceded by the parties they refer
/// to), redacted for `access` (texts above its clearance replaced by the mark in `lang`).
ExportCounts export_records(Store& store, const WorkCalendar& calendar, const Access& access, Lang lang,
                            const ExportRequest& request, std::ostream& out);

/// One problem found in an import file: "SOURCE:LINE: FIELD: MESSAGE (HINT)".
struct ImportProblem {
  std::int64_t line = 0;
  std::string field;     ///< the field (column) at fault as the file names it; empty when the whole line is
  Message message;
  Message hint;
  /// The problem as one line, in `lang`.
  std::string format(std::string_view source, Lang lang = Lang::en) const;
};

/// One decoded line of an import file.
struct ImportItem {
  enum class Type { party, record, attachment } type = Type::record;
  std::int64_t line = 0;          ///< where it starts in the file (1-based)
  Party party;
  Record record;
  bool has_events = false;        ///< the line carried its history
  std::vector<Event> events;      ///< type, actor, at, data (canonical JSON)
  /// An attachment line: its record's reference, the position of the event that added it
  /// in that record's events (1-based), its description and its bytes.
  std::string attachment_ref;
  std::int64_t attachment_event = 0;
  Attachment attachment;
  std::string content;
};

/// One attachment as a JSON Lines line ({"type":"attachment", "ref", "event": the
/// 1-based position in the record's exported events of the event that added it, "n",
/// "name", "media_type", "size", "sha256", "content": the bytes in base64}), newline included.
std::string attachment_to_jsonl(const std::string& ref, std::int64_t event_position, const Attachment& attachment,
                                std::string_view content);

/// Decodes one JSON Lines line; the problems found are appended to `problems` (nullopt
/// when there are any, and for blank lines).
std::optional<ImportItem> decode_jsonl(std::string_view line, std::int64_t line_number, const Config& config,
                                       const WorkCalendar& calendar, std::vector<ImportProblem>& problems);

/// Reads CSV (RFC 4180, as spreadsheets write it: UTF-8 BOM, CRLF or LF, quoted fields
/// with commas, quotes and line breaks) one row at a time.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}
  /// The next row's cells and the line it starts on; false at the end. A row longer than
  /// exchange_limits::kLine is returned empty with `too_long` set.
  bool next(std::vector<std::string>& cells, std::int64_t& line, bool& too_long);
  /// Bytes read so far (for progress).
  std::uint64_t bytes() const { return bytes_; }

 private:
  int get();
  std::istream& in_;
  std::vector<char> buffer_;
  std::string pending_;  ///< bytes read ahead (looking for a BOM)
  std::size_t position_ = 0, size_ = 0;
  std::uint64_t bytes_ = 0;
  std::int64_t line_ = 1;
  bool started_ = false;
};

/// The columns of a CSV header, checked: every name known, none twice, the required
/// ones present. Problems are reported against line `line`.
std::optional<std::vector<std::string>> decode_csv_header(const std::vector<std::string>& cells, std::int64_t line,
                                                          std::vector<ImportProblem>& problems);
/// Decodes one CSV row under `header`.
std::optional<ImportItem> decode_csv_row(const std::vector<std::string>& header, const std::vector<std::string>& cells,
                                         std::int64_t line, const Config& config, const WorkCalendar& calendar,
                                         std::vector<ImportProblem>& problems);

/// If `ref` is a reference in numbering `pattern`, the sequence it belongs to and its number.
std::optional<std::pair<std::string, std::int64_t>> reference_sequence(const std::string& pattern,
                                                                       const std::string& ref);

/// What `liaison import` reads and how.
struct ImportRequest {
  std::string source;             ///< the file name as given ("-" for standard input), for messages and events
  ExchangeFormat format = ExchangeFormat::jsonl;
  bool dry_run = false;           ///< validate and count, then roll back
  std::size_t max_problems = 100; ///< stop after this many
  /// Called now and then with the bytes and items read so far (progress bar).
  std::function<void(std::uint64_t bytes, std::int64_t items)> progress;
};
/// What an import did (or, with problems or a dry run, would have done).
struct ImportResult {
  std::int64_t records = 0;
  std::int64_t parties = 0;       ///< parties added
  std::int64_t parties_kept = 0;  ///< parties already in the database with the same details
  std::int64_t events = 0;        ///< events appended (history and "imported" events)
  std::int64_t attachments = 0;   ///< attachments restored (attachment lines)
  std::vector<ImportProblem> problems;
  bool stopped = false;           ///< stopped at max_problems: there may be more
  bool committed = false;
};
/// Imports the file in one transaction: every line is decoded and validated, parties and
/// records are written through the store (records with their clocks and history, or one
/// "imported" event each), sequences are advanced past imported references. Committed
/// only when no line had a problem and it is not a dry run.
ImportResult import_records(Context& ctx, std::istream& in, const ImportRequest& request);

}  // namespace liaison
