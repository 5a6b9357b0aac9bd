#include "output.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "messages.h"
#include "temp_files.h"

namespace liaison::cli {

void write_file(const std::string& path, const std::function<void(std::ostream&)>& render) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(ExitCode::failure, msg<Msg::out_cannot_write_no_directory>(path, dir.string()),
                msg<Msg::create_directory_first_give_another_out>());
  // A name no one can guess, made with O_EXCL (mkostemp): a file or symlink planted in
  // the directory is never followed or overwritten. Mode 0600; a signal removes it.
  std::string tmp = (dir / fmt::format(".{}.XXXXXX", target.filename().string())).string();
  std::optional<RemovedOnSignal> interrupted;  // until it is renamed into place
  {
    const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd >= 0 && created_file_mode() != 0600) (void)::fchmod(fd, created_file_mode());  // [store] mode
    std::FILE* file = fd < 0 ? nullptr : ::fdopen(fd, "wb");
    if (!file) {
      int saved = errno;
      if (fd >= 0) {
        ::close(fd);
        ::unlink(tmp.c_str());
      }
      throw Error(ExitCode::failure, msg<Msg::out_cannot_write>(path, std::strerror(saved)),
                  msg<Msg::check_directory_permissions_space>());
    }
    interrupted.emplace(tmp);
    int saved = 0;
    std::exception_ptr failure;
    {
      FileBuffer buffer(file);
      std::ostream f(&buffer);
      try {
        render(f);
        f.flush();
      } catch (...) {
        failure = std::current_exception();
      }
      saved = buffer.error();
    }
    if (failure) {
      std::fclose(file);
      fs::remove(tmp, ec);
      std::rethrow_exception(failure);
    }
    if (saved == 0 && std::fflush(file) != 0) saved = errno ? errno : EIO;
    if (std::fclose(file) != 0 && saved == 0) saved = errno ? errno : EIO;
    if (saved != 0) {
      fs::remove(tmp, ec);
      throw OutputError(msg<Msg::out_cannot_write>(path, std::strerror(saved)),
                        msg<Msg::check_directory_permissions_space>(), saved);
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw Error(ExitCode::failure, msg<Msg::out_cannot_write>(path, ec.message()), msg<Msg::check_directory_permissions>());
  }
}

namespace {
int stdout_error = 0;  ///< errno of the first failed write to standard output through a FileBuffer
}  // namespace

void FileBuffer::failed(int error) {
  error_ = error ? error : EIO;
  if (file_ == stdout && stdout_error == 0) stdout_error = error_;
}

void flush_stdout() {
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return;
  // A write that failed before (its buffer then dropped) leaves only the error flag.
  int error = stdout_error ? stdout_error : errno ? errno : EIO;
  throw write_failed(msg<Msg::standard_output>(), error);
}

// The pager (git's way: pager.c): a child reading a pipe that replaces our standard output.

namespace {
pid_t pager_pid = -1;       ///< the running pager, or -1
int terminal_fd = -1;       ///< standard output as it was before the pager took it
}  // namespace

std::string pager_command() {
  const char* chosen = std::getenv("LIAISON_PAGER");
  if (!chosen) chosen = std::getenv("PAGER");
  std::string command = chosen ? chosen : "less -FRX";
  const auto first = command.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  command = command.substr(first, command.find_last_not_of(" \t") + 1 - first);
  return command == "cat" ? std::string() : command;
}

void start_pager_process(const std::string& command) {
  if (command.empty() || pager_pid > 0) return;
  std::fflush(stdout);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;  // no pager then, the output is still shown
  const int saved = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  const pid_t pid = saved < 0 ? -1 : ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    if (saved >= 0) ::close(saved);
    return;
  }
  if (pid == 0) {  // the pager: reads the pipe, writes to the terminal
    ::dup2(fds[0], STDIN_FILENO);
    ::setenv("LESS", "FRX", 0);
    ::setenv("LV", "-c", 0);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::dup2(fds[1], STDOUT_FILENO);
  ::close(fds[0]);
  ::close(fds[1]);
  pager_pid = pid;
  terminal_fd = saved;
}

void finish_pager() {
  if (pager_pid <= 0) return;
  std::fflush(stdout);
  std::clearerr(stdout);
  ::dup2(terminal_fd, STDOUT_FILENO);  // closes our end of the pipe: the pager reads its end
  ::close(terminal_fd);
  int status = 0;
  while (::waitpid(pager_pid, &status, 0) < 0 && errno == EINTR) {
  }
  pager_pid = -1;
  terminal_fd = -1;
}

// Writing to the terminal: print to stdout, print_error to stderr, say a translated line.

void print(const std::string& text) {
  // A failed write is OutputError (exit 74); stdout is buffered, so most failures show
  // only when it is flushed at the end (flush_stdout in cmd/main.cpp).
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
    throw write_failed(msg<Msg::standard_output>(), errno ? errno : EIO);
}

void print_error(Lang lang, const Message& message, const Message& hint) {
  std::string what = message.render(lang);
  if (hint.empty()) fmt::print(stderr, "liaison: {}\n", what);
  else fmt::print(stderr, "liaison: {} ({})\n", what, hint.render(lang));
}

void print_error(Lang lang, const Error& error) { print_error(lang, error.message(), error.hint_message()); }

void say(const Env& env, const Message& line) { print(line.render(env.lang()) + "\n"); }

}  // namespace liaison::cli
