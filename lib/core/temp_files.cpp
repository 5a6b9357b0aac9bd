#include "temp_files.h"

#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <atomic>
#include <cstring>

namespace liaison {

namespace {
unsigned g_created_file_mode = 0600;
}  // namespace

void set_created_file_mode(unsigned mode) { g_created_file_mode = mode & 0660; }
unsigned created_file_mode() { return g_created_file_mode; }

namespace {

constexpr int kSlots = 4;
constexpr const char* kJournals[] = {"-journal", "-wal", "-shm"};
constexpr int kPaths = 1 + sizeof kJournals / sizeof kJournals[0];

/// One registered file: its paths, written before `active` is set and read by the signal
/// handler only while it is set; `claimed` keeps two registrations out of one slot.
struct Slot {
  std::atomic<bool> claimed{false};
  std::atomic<bool> active{false};
  int paths = 0;
  std::array<std::array<char, PATH_MAX>, kPaths> path{};
};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler reads these flags");

Slot slots[kSlots];

extern "C" void remove_and_reraise(int signal) {
  // Only async-signal-safe calls here: unlink, and raise with the default action back
  // (SA_RESETHAND restored it): the signal stays blocked until this handler returns.
  const int saved = errno;
  for (auto& slot : slots)
    if (slot.active.load())
      for (int i = 0; i < slot.paths; ++i) ::unlink(slot.path[i].data());
  errno = saved;
  ::raise(signal);
}

bool copy_path(std::array<char, PATH_MAX>& to, const std::string& path, const char* suffix) {
  const std::size_t n = path.size(), m = std::strlen(suffix);
  if (n + m + 1 > to.size()) return false;
  std::memcpy(to.data(), path.data(), n);
  std::memcpy(to.data() + n, suffix, m + 1);
  return true;
}

}  // namespace

void remove_temp_files_on_signals() {
  struct sigaction action{};
  action.sa_handler = remove_and_reraise;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal the caller ignores (nohup, a shell's background job) stays ignored.
    struct sigaction previous{};
    if (::sigaction(signal, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
    ::sigaction(signal, &action, nullptr);
  }
}

RemovedOnSignal::RemovedOnSignal(const std::string& path, bool with_journals) {
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (!slots[i].claimed.compare_exchange_strong(expected, true)) continue;
    Slot& slot = slots[i];
    bool fits = copy_path(slot.path[0], path, "");
    slot.paths = 1;
    if (with_journals)
      for (const char* suffix : kJournals) fits = fits && copy_path(slot.path[slot.paths++], path, suffix);
    if (!fits) {
      slot.claimed.store(false);
      return;
    }
    slot.active.store(true);
    slot_ = i;
    return;
  }
}

RemovedOnSignal::~RemovedOnSignal() {
  if (slot_ < 0) return;
  slots[slot_].active.store(false);
  slots[slot_].claimed.store(false);
}

}  // namespace liaison
