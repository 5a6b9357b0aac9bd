// A cache of validated configurations. Every liaison command is a short process, and
// parsing and checking a TOML file of a thousand lines costs more than most commands'
// own work (tests/bench/README.md); the cache keeps the validated Config keyed by the
// file's absolute path, inode, size and modification and status-change times, so any
// edit is a new entry.
#pragma once
#include <string>

#include "config.h"

namespace liaison {

/// load_config through the cache in `cache_dir` (created if missing). A missing,
/// unreadable or stale entry means a full parse, whose result is then stored (unless
/// the file changed in the last `settle_seconds`); failing to store is not an error. An
/// empty `cache_dir` disables the cache.
Config load_config_cached(const std::string& path, const std::string& cache_dir, int settle_seconds = 2);

/// Where the cache lives: $XDG_CACHE_HOME/liaison, else $HOME/.cache/liaison; empty
/// (no cache) when neither is set or $LIAISON_NO_CACHE is set.
std::string default_config_cache_dir();

/// The Config as the cache stores it, and back (exposed for tests).
std::string config_to_cache(const Config& config);
Config config_from_cache(const std::string& text);

}  // namespace liaison
