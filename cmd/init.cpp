// liaison init: write an example liaison.toml (never overwriting) where --config or
// $LIAISON_CONFIG say, else in the current folder, and create its database; with a config
// already there, create the database it names.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "examples.h"

namespace liaison::cli {

struct InitOptions {
  std::string example = "manufacturing";
  bool db_only = false;
};

/// A database server's (PostgreSQL) as opposed to a file: it is never created here, only
/// set up, and is named by its URL (password hidden).
static bool on_server(const std::string& db) { return !sqlite_path(db); }

/// --db-only: the config exists; create or upgrade the database it names.
static void run_init_db_only(Env& env) {
  namespace fs = std::filesystem;
  env.prepare(Needs::config);
  std::string db = env.resolve_db_path();
  bool existed = fs::exists(db);
  auto store = open_store(db, OpenMode::create);
  if (!env.options.quiet && on_server(db))
    say(env, msg<Msg::db_server_schema>(store->url(), store->schema_version()));
  else if (!env.options.quiet)
    say(env, existed ? msg<Msg::db_using_existing_schema>(fs::proximate(db).string(), store->schema_version())
                     : msg<Msg::db_created_schema>(fs::proximate(db).string(), store->schema_version()));
}

/// The config exists: create the database it names, as --db-only would, and say from
/// which config; both existing is nothing to do (init never overwrites).
static void run_init_from_config(const std::string& path, Env& env) {
  namespace fs = std::filesystem;
  env.options.config_path = path;
  env.prepare(Needs::config);
  std::string db = env.resolve_db_path();
  if (fs::exists(db))
    throw StateError(msg<Msg::init_config_and_db_exist>(path, fs::proximate(db).string()),
                     msg<Msg::init_nothing_to_create>());
  auto store = open_store(db, OpenMode::create);
  if (!env.options.quiet)
    say(env, msg<Msg::db_created_from_config>(on_server(db) ? store->url() : fs::proximate(db).string(), path));
}

static void run_init(const InitOptions& opts, Env& env) {
  namespace fs = std::filesystem;
  if (opts.db_only) return run_init_db_only(env);
  // Where the other commands look first: --config, then $LIAISON_CONFIG; only then the
  // current folder (so that init never writes a config the others would not read).
  const char* env_config = std::getenv("LIAISON_CONFIG");
  const std::string declared = env_config ? env_config : "";
  std::string path = !env.options.config_path.empty() ? env.options.config_path
                     : !declared.empty()               ? declared
                                                       : "liaison.toml";
  auto text = example_config(opts.example);
  if (!text) throw UsageError(msg<Msg::no_example_named>(opts.example), msg<Msg::use_example_names>());
  if (fs::exists(path)) return run_init_from_config(path, env);
  {
    std::ofstream out(path, std::ios::binary);
    out << *text;
    if (!out) throw Error(ExitCode::failure, msg<Msg::cannot_write_path>(path), msg<Msg::check_folder_permissions>());
  }
  env.options.config_path = path;
  env.prepare(Needs::config);
  std::string db = env.resolve_db_path();
  bool existed = fs::exists(db);
  auto store = open_store(db, OpenMode::create);
  if (!env.options.quiet) {
    say(env, msg<Msg::wrote_config>(path));
    if (on_server(db)) say(env, msg<Msg::db_server_schema>(store->url(), store->schema_version()));
    else say(env, existed ? msg<Msg::db_using_existing>(fs::proximate(db).string())
                          : msg<Msg::db_created>(fs::proximate(db).string()));
  }
}

Runner register_init(CLI::App& app, Env& env) {
  auto opts = std::make_shared<InitOptions>();
  app.add_option("--example", opts->example, "which example to write: manufacturing (default) or minimal")
      ->check(CLI::IsMember({"manufacturing", "minimal"}));
  app.add_flag("--db-only", opts->db_only,
               "write no config: create the database the existing config names, or upgrade it to this version");
  return [opts, &env] { run_init(*opts, env); };
}

}  // namespace liaison::cli
