// `liaison backup FILE`: a consistent copy of the database taken while
// others write, checked before it is given its name.
#pragma once
#include <cstdint>
#include <string>

#include "store.h"

namespace liaison {

/// What a backup copied, read back from the copy itself.
struct BackupResult {
  std::string path;                 ///< the backup file
  std::int64_t records = 0;         ///< records in the copy
  std::int64_t events = 0;          ///< events in the copy (its hash chain verified)
  std::int64_t last_event_id = 0;   ///< the newest event in the copy
  std::int64_t bytes = 0;           ///< size of the file
};

/// Copies `store` into `target`: the online backup (OnlineBackup) into a temporary file
/// (mode 0600) in target's directory, then on that copy its integrity check (SQLite's
/// PRAGMA integrity_check) and the hash chain, then
/// fsync and rename to `target` (and fsync of the directory). An existing `target` is
/// refused (StateError) unless `force`. On any failure the temporary file is removed and
/// `target` is left as it was; Error (exit 1) says what failed.
BackupResult backup_store(Store& store, const std::string& target, bool force);

}  // namespace liaison
