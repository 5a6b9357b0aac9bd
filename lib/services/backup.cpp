#include "backup.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "chain.h"
#include "errors.h"
#include "temp_files.h"

namespace liaison {
namespace {

namespace fs = std::filesystem;

/// Removes the temporary copy and any journal SQLite left beside it, unless released.
class TempCopy {
 public:
  explicit TempCopy(std::string path) : path_(std::move(path)), interrupted_(path_, true) {}
  TempCopy(const TempCopy&) = delete;
  TempCopy& operator=(const TempCopy&) = delete;
  ~TempCopy() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  std::string path_;
  RemovedOnSignal interrupted_;  ///< a signal removes it too
};

void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw Error(ExitCode::failure, msg<Msg::cannot_open_to_flush>(path, std::strerror(errno)),
                msg<Msg::check_disk_try_again>());
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0)
    throw Error(ExitCode::failure, msg<Msg::cannot_flush_to_disk>(path, std::strerror(error)),
                msg<Msg::check_disk_try_again>());
}

StateError exists_error(const std::string& target) {
  return StateError(msg<Msg::already_exists>(target), msg<Msg::choose_another_name_give_force_replace>());
}

}  // namespace

BackupResult backup_store(Store& store, const std::string& target, bool force) {
  std::error_code ec;
  if (fs::is_directory(target, ec))
    throw UsageError(msg<Msg::is_a_directory>(target), msg<Msg::give_name_backup_file_write>());
  if (!force && fs::exists(fs::symlink_status(target, ec))) throw exists_error(target);
  fs::path dir = fs::path(target).parent_path();
  if (dir.empty()) dir = ".";
  std::string pattern = (dir / ("." + fs::path(target).filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(pattern.data());  // mode 0600: the copy holds everything
  if (fd < 0)
    throw Error(ExitCode::failure, msg<Msg::cannot_create_backup>(dir.string(), std::strerror(errno)),
                msg<Msg::choose_folder_you_can_write_room>());
  if (created_file_mode() != 0600) (void)::fchmod(fd, created_file_mode());  // [store] mode shares it with a group
  ::close(fd);
  TempCopy temp(pattern);

  require(store, store.online_backup(), msg<Msg::can_make_online_backup>()).backup_to(temp.path());

  BackupResult result;
  result.path = target;
  {
    // The copy is a SQLite file whatever the source (OnlineBackup::backup_to).
    auto copy = open_store("sqlite:" + temp.path(), OpenMode::read_only);
    std::string integrity = require(*copy, copy->maintenance(), msg<Msg::can_check_integrity>()).integrity_check();
    if (integrity != "ok")
      throw StoreError(msg<Msg::copy_fails_sqlite_s_integrity_check>(integrity),
                       msg<Msg::source_may_be_damaged>());
    ChainCheck chain = verify_chain(*copy);
    if (!chain.ok)
      throw StoreError(msg<Msg::copy_s_history_does_not_verify>(chain.first_bad_id, chain.problem),
                       msg<Msg::database_changed_run_audit_verify>());
    result.events = chain.events;
    result.last_event_id = copy->last_event_id();
    result.records = copy->count_records();
  }
  fsync_path(temp.path(), false);

  if (force) {
    if (::rename(temp.path().c_str(), target.c_str()) != 0)
      throw Error(ExitCode::failure, msg<Msg::cannot_rename_backup>(target, std::strerror(errno)),
                  msg<Msg::check_folder_permissions>());
  } else {
    // link() refuses an existing name atomically: a file made meanwhile is not replaced.
    if (::link(temp.path().c_str(), target.c_str()) != 0) {
      if (errno == EEXIST) throw exists_error(target);
      throw Error(ExitCode::failure, msg<Msg::cannot_name_backup>(target, std::strerror(errno)),
                  msg<Msg::check_folder_permissions>());
    }
    ::unlink(temp.path().c_str());
  }
  temp.release();
  fsync_path(dir.string(), true);
  result.bytes = static_cast<std::int64_t>(fs::file_size(target, ec));
  return result;
}

}  // namespace liaison
