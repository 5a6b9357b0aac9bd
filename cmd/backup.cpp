// liaison backup FILE: a consistent copy of the database, taken while others write and
// checked (integrity and hash chain) before it is given its name (lib/services/backup.h).
#include <filesystem>

#include <fmt/format.h>

#include "backup.h"
#include "common.h"
#include "errors.h"

namespace liaison::cli {

struct BackupOptions {
  std::string file;
  bool force = false;
};

namespace {

/// A backup holds every record at every level, so only those trusted with all of it may
/// take one: admins, auditors and top management (anyone in single-user mode).
void require_backup(const Access& access) {
  if (access.single_user() || access.has_role("admin") || access.has_role("auditor") || access.has_role("top")) return;
  throw PermissionError(fmt::format("{} may not take a backup: it holds every record at every level", access.actor()),
                        "ask an admin, an auditor or top management, or act as one with --as");
}

std::string size_text(std::int64_t bytes) {
  if (bytes >= 1024LL * 1024 * 1024)
    return fmt::format("{:.1f} GB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  if (bytes >= 1024 * 1024) return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  if (bytes >= 1024) return fmt::format("{:.1f} KB", static_cast<double>(bytes) / 1024.0);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

static void run_backup(const BackupOptions& o, Env& env) {
  require_backup(env.access());
  std::error_code ec;
  if (std::filesystem::equivalent(o.file, env.resolve_db_path(), ec))
    throw UsageError(fmt::format("{} is the database itself", o.file), "give another file name for the backup");
  BackupResult r = backup_store(env.store(), o.file, o.force);
  if (env.format() == Format::json) {
    print(render_json({{"file", r.path},
                       {"records", r.records},
                       {"events", r.events},
                       {"last_event_id", r.last_event_id},
                       {"bytes", r.bytes},
                       {"integrity", "ok"},
                       {"hash_chain", "intact"}}));
  } else if (!env.options.quiet) {
    say(env, fmt::format("backed up to {}: {} records, {} events (last event {}), {}; integrity and hash chain checked",
                         r.path, r.records, r.events, r.last_event_id, size_text(r.bytes)));
  }
}

Runner register_backup(CLI::App& app, Env& env) {
  auto o = std::make_shared<BackupOptions>();
  app.add_option("file", o->file, "the backup file to write")->required();
  app.add_flag("--force", o->force, "replace FILE if it exists");
  return [o, &env] { run_backup(*o, env); };
}

}  // namespace liaison::cli
