// liaison backup FILE: a consistent copy of the database, taken while others write and
// checked (integrity and hash chain) before it is given its name (lib/services/backup.h).
#include <filesystem>

#include <fmt/format.h>

#include "backup.h"
#include "common.h"
#include "errors.h"
#include "reads.h"

namespace liaison::cli {

struct BackupOptions {
  std::string file;
  bool force = false;
};

namespace {

/// The size for people: "3.2 MB", or "512 bytes" (words in the user's language).
Message size_text(std::int64_t bytes) {
  if (bytes >= 1024LL * 1024 * 1024)
    return msg<Msg::size_gb>(fmt::format("{:.1f}", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0)));
  if (bytes >= 1024 * 1024) return msg<Msg::size_mb>(fmt::format("{:.1f}", static_cast<double>(bytes) / (1024.0 * 1024.0)));
  if (bytes >= 1024) return msg<Msg::size_kb>(fmt::format("{:.1f}", static_cast<double>(bytes) / 1024.0));
  return msg<Msg::size_bytes>(bytes);
}

}  // namespace

static void run_backup(const BackupOptions& o, Env& env) {
  // Who may take one: Access::require_backup.
  BackupResult r = take_backup(env.context(), o.file, env.resolve_db_path(), o.force);
  if (env.format() == Format::json) {
    print(render_json({{"file", r.path},
                       {"records", r.records},
                       {"events", r.events},
                       {"last_event_id", r.last_event_id},
                       {"bytes", r.bytes},
                       {"integrity", "ok"},
                       {"hash_chain", "intact"}}));
  } else if (!env.options.quiet) {
    say(env, msg<Msg::backed_up_records_events_last_event>(r.path, r.records, r.events, r.last_event_id,
                                                              size_text(r.bytes)));
  }
}

Runner register_backup(CLI::App& app, Env& env) {
  auto o = std::make_shared<BackupOptions>();
  app.add_option("file", o->file, "the backup file to write")->required();
  app.add_flag("--force", o->force, "replace FILE if it exists");
  return [o, &env] { run_backup(*o, env); };
}

}  // namespace liaison::cli
