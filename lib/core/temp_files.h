// Temporary files that an interrupted command must not leave behind: `--out` files and
// backups are written to a temporary name and renamed into place; a SIGINT, SIGTERM or
// SIGHUP in between removes the temporary file (and the journal files SQLite keeps beside
// a database) before the process ends as the signal asks.
#pragma once
#include <string>

namespace liaison {

/// The mode of every file liaison creates itself (the database, backups, --out files):
/// 0600 unless [store] mode shares them with a group (0640, 0660). Set once the
/// configuration is read (cmd/env.cpp); the umask covers the files others create for it.
void set_created_file_mode(unsigned mode);
unsigned created_file_mode();

/// Installs the handlers for SIGINT, SIGTERM and SIGHUP that remove every registered
/// temporary file and then end the process by the same signal (its status is 128 + the
/// signal, as without the handler). Once, at the start of main().
void remove_temp_files_on_signals();

/// Registers a temporary file for removal by a signal while this object lives. It never
/// removes the file itself: the code that made it renames or removes it as usual. At most
/// a few files are registered at once (a command makes one); a path longer than PATH_MAX,
/// or one more than the slots hold, is not registered, and then a signal leaves it behind.
class RemovedOnSignal {
 public:
  /// `with_journals` adds SQLite's "-journal", "-wal" and "-shm" beside the path.
  explicit RemovedOnSignal(const std::string& path, bool with_journals = false);
  ~RemovedOnSignal();
  RemovedOnSignal(const RemovedOnSignal&) = delete;
  RemovedOnSignal& operator=(const RemovedOnSignal&) = delete;

  /// Whether the path is registered (false: no free slot, or too long).
  bool registered() const { return slot_ >= 0; }

 private:
  int slot_ = -1;
};

}  // namespace liaison
