// Tests of lib/core/temp_files.cpp: a registered temporary file (and, for a database, its
// journals) is removed when SIGTERM, SIGINT or SIGHUP ends the process, which then ends by
// that signal; what is no longer registered, or never was, stays. Each case runs in a
// child process (fork), which signals itself: the parent checks how it ended and what is
// left on disk.
#include "temp_files.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <doctest/doctest.h>

namespace liaison {
namespace {

namespace fs = std::filesystem;

struct Dir {
  fs::path path;
  Dir() {
    std::string pattern = (fs::temp_directory_path() / "liaison-temp-files-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string touch(const std::string& name) const {
    std::ofstream(path / name) << "x";
    return (path / name).string();
  }
};

/// Runs `child` in a child process with the handlers installed; its wait status.
int in_child(const std::function<void()>& child) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    remove_temp_files_on_signals();
    child();
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return status;
}

bool killed_by(int status, int signal) { return WIFSIGNALED(status) && WTERMSIG(status) == signal; }

TEST_CASE("SIGTERM, SIGINT and SIGHUP remove a registered file and end the process by that signal") {
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) {
    CAPTURE(signal);
    Dir dir;
    const std::string file = dir.touch("out.tmp");
    const int status = in_child([&] {
      RemovedOnSignal guard(file);
      if (!guard.registered()) ::_exit(3);
      ::raise(signal);
      ::_exit(4);  // not reached: the signal ends the process
    });
    CHECK(killed_by(status, signal));
    CHECK_FALSE(fs::exists(file));
  }
}

TEST_CASE("a database's journals go with it; files not registered stay") {
  Dir dir;
  const std::string db = dir.touch("copy.db");
  for (const char* suffix : {"-journal", "-wal", "-shm"}) dir.touch(std::string("copy.db") + suffix);
  const std::string other = dir.touch("records.db");
  const int status = in_child([&] {
    RemovedOnSignal guard(db, true);
    ::raise(SIGTERM);
  });
  CHECK(killed_by(status, SIGTERM));
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) CHECK_FALSE(fs::exists(db + suffix));
  CHECK(fs::exists(other));
}

TEST_CASE("a file whose guard is gone (renamed into place) is left alone") {
  Dir dir;
  const std::string file = dir.touch("report.html");
  const int status = in_child([&] {
    { RemovedOnSignal guard(file); }
    ::raise(SIGTERM);
  });
  CHECK(killed_by(status, SIGTERM));
  CHECK(fs::exists(file));
}

TEST_CASE("a signal the caller ignores stays ignored (nohup): nothing is removed, the process goes on") {
  Dir dir;
  const std::string file = dir.touch("out.tmp");
  const int status = in_child([&] {
    ::signal(SIGHUP, SIG_IGN);
    remove_temp_files_on_signals();
    RemovedOnSignal guard(file);
    ::raise(SIGHUP);
    ::_exit(7);
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 7);
  CHECK(fs::exists(file));
}

TEST_CASE("slots are reused once freed, and a path too long for one is not registered") {
  for (int i = 0; i < 20; ++i) {
    RemovedOnSignal guard("/tmp/x");
    CHECK(guard.registered());
  }
  RemovedOnSignal long_one(std::string(5000, 'a'));
  CHECK_FALSE(long_one.registered());
}

}  // namespace
}  // namespace liaison
