// liaison import FILE|-: records from JSON Lines (as export writes them) or CSV (from
// export or a spreadsheet), every line validated, all written in one transaction or none.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "exchange.h"
#include "messages.h"

namespace liaison::cli {

struct ImportOptions {
  std::string file;
  bool dry_run = false;
};

namespace {

/// The format: --format, else the file name's ending (.jsonl, .ndjson, .json; .csv),
/// else the first byte: '{' is JSON Lines, anything else CSV.
ExchangeFormat detect_format(const std::string& given, const std::string& file, std::istream& in) {
  if (given == "jsonl") return ExchangeFormat::jsonl;
  if (given == "csv") return ExchangeFormat::csv;
  if (!given.empty())
    throw UsageError(msg<Msg::import_reads_jsonl_csv_not>(given),
                     msg<Msg::give_format_jsonl_format_csv_leave>());
  auto ends_with = [&](std::string_view tail) {
    return file.size() >= tail.size() && file.compare(file.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json")) return ExchangeFormat::jsonl;
  if (ends_with(".csv")) return ExchangeFormat::csv;
  return in.peek() == '{' ? ExchangeFormat::jsonl : ExchangeFormat::csv;
}

/// A progress bar on standard error for large inputs read from a terminal session.
class Progress {
 public:
  Progress(std::uint64_t total) : total_(total) {}
  void operator()(std::uint64_t bytes, std::int64_t items) {
    // Small inputs finish before anyone looks; a pipe or file gets no bar at all.
    if (items < 10000 && (total_ == 0 || total_ < 4u * 1024 * 1024)) return;
    shown_ = true;
    if (total_ > 0) {
      int percent = static_cast<int>(std::min<std::uint64_t>(100, bytes * 100 / total_));
      int filled = percent * 30 / 100;
      fmt::print(stderr, "\r[{}{}] {:3}% {} lines", std::string(static_cast<std::size_t>(filled), '#'),
                 std::string(static_cast<std::size_t>(30 - filled), ' '), percent, items);
    } else {
      fmt::print(stderr, "\r{} lines, {} MB", items, bytes / (1024 * 1024));
    }
    std::fflush(stderr);
  }
  ~Progress() {
    if (shown_) fmt::print(stderr, "\r\033[K");
  }

 private:
  std::uint64_t total_;
  bool shown_ = false;
};

}  // namespace

static void run_import(const ImportOptions& o, Env& env) {
#ifdef __GLIBC__
  // An import allocates and frees blocks larger than glibc's trim threshold (128 KiB)
  // over and over; each free gave the top of the heap back to the kernel (brk, and a TLB
  // flush on every core) and the next allocation faulted it in again: more than half of
  // the import's CPU time. Keeping up to 4 MiB of free heap ends that.
  mallopt(M_TRIM_THRESHOLD, 4 << 20);
#endif
  Context ctx = env.context();
  ctx.access().require_import();  // before the file is even opened
  std::ifstream file;
  std::istream* in = &std::cin;
  std::uint64_t size = 0;
  if (o.file != "-") {
    file.open(o.file, std::ios::binary);
    if (!file)
      throw NotFoundError(msg<Msg::cannot_read>(o.file), msg<Msg::check_file_s_name_permissions>());
    struct stat st {};
    if (::stat(o.file.c_str(), &st) == 0) size = static_cast<std::uint64_t>(st.st_size);
    in = &file;
  }
  ImportRequest request;
  request.source = o.file;
  request.format = detect_format(env.options.format, o.file, *in);
  request.dry_run = o.dry_run;
  std::optional<Progress> progress;
  if (::isatty(STDERR_FILENO) == 1) {
    progress.emplace(size);
    request.progress = [&progress](std::uint64_t bytes, std::int64_t items) { (*progress)(bytes, items); };
  }
  ImportResult result = import_records(ctx, *in, request);
  progress.reset();
  std::string source = o.file == "-" ? "stdin" : o.file;
  if (!result.problems.empty()) {
    for (const auto& p : result.problems) fmt::print(stderr, "{}\n", p.format(source, env.lang()));
    throw DataError(msg<Msg::problem_s_nothing_was_imported>(result.problems.size(), source),
                    result.stopped ? msg<Msg::reading_stopped_there_there_may_more>()
                                   : msg<Msg::fix_each_line_listed_import_whole>());
  }
  if (env.options.quiet) return;
  if (o.dry_run)
    say(env, msg<Msg::would_import_records_new_parties_already>(result.records, result.parties, result.parties_kept,
                                                                   result.events, source));
  else
    say(env, msg<Msg::imported_records_new_parties_already_registered>(result.records, result.parties,
                                                                          result.parties_kept, result.events, source));
  if (result.attachments) say(env, msg<Msg::exported_attachments>(result.attachments));
}

Runner register_import(CLI::App& app, Env& env) {
  auto o = std::make_shared<ImportOptions>();
  app.add_option("FILE", o->file, "JSON Lines or CSV file to read, - for standard input")->required();
  app.add_flag("--dry-run", o->dry_run, "validate every line and say what would be imported; write nothing");
  return [o, &env] { run_import(*o, env); };
}

}  // namespace liaison::cli
