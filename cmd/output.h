// Output that is written as it is made: standard output as a buffered std::ostream, and
// files written through a temporary file renamed into place (report --out, export --out).
#pragma once
#include <array>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace liaison::cli {

/// A C stream as a std::ostream with a buffer of its own, so the renderers can write the
/// output piece by piece as they make it (at little cost per piece) instead of holding all
/// of it. A failed write fails the stream and is remembered with its errno (error()).
class FileBuffer : public std::streambuf {
 public:
  explicit FileBuffer(std::FILE* file) : file_(file) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;
  ~FileBuffer() override { sync(); }

  /// The errno of the first failed write; 0 when none failed.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override {
    const auto size = static_cast<std::size_t>(pptr() - pbase());
    const bool written = std::fwrite(pbase(), 1, size, file_) == size;
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    if (written) return 0;
    if (error_ == 0) failed(errno);
    return -1;
  }

 private:
  void failed(int error);

  std::FILE* file_;
  int error_ = 0;
  std::array<char, 64 * 1024> buffer_{};
};

/// Standard output as a std::ostream (see FileBuffer). A failed write also leaves stdout's
/// error flag set, so flush_stdout() reports it even when nobody looks at the stream.
class StdoutBuffer : public FileBuffer {
 public:
  StdoutBuffer() : FileBuffer(stdout) {}
};

/// Writes what `render` writes to `path` through a temporary file renamed into place, so
/// a failed run leaves nothing half-written behind. Errors name the option `--out`: a
/// file that cannot be made is exit 1, one that cannot be written (a full disk) exit 74.
void write_file(const std::string& path, const std::function<void(std::ostream&)>& render);

/// The pager to use, as git chooses it: $LIAISON_PAGER, else $PAGER, else "less -FRX"
/// (set, even empty, a variable decides); "" when that is empty or "cat" (no pager).
std::string pager_command();
/// Runs `command` with /bin/sh, its standard input a pipe that becomes our standard output
/// (LESS=FRX and LV=-c in its environment unless set). Nothing when `command` is empty or
/// a pager is already running. A pager that cannot start or quits early is a reader that
/// went away: the output that follows ends as with `| head` (cmd/main.cpp, EPIPE).
void start_pager_process(const std::string& command);
/// Flushes standard output into the pager, gives the pager end of input and waits until
/// the user quits it, then points standard output at the terminal again; nothing when no
/// pager runs. Errors are ignored: the command's own status stands.
void finish_pager();

/// Flushes standard output and throws OutputError (exit 74) if it, or any write to it
/// before, failed. The last thing a command does (cmd/main.cpp), so everything it printed
/// has reached its destination when it exits 0.
void flush_stdout();

}  // namespace liaison::cli
