// Output that is written as it is made: standard output as a buffered std::ostream, and
// files written through a temporary file renamed into place (report --out, export --out).
#pragma once
#include <array>
#include <cstdio>
#include <functional>
#include <ostream>
#include <streambuf>
#include <string>

namespace liaison::cli {

/// Standard output as a std::ostream with a buffer of its own, so the renderers can write
/// the report piece by piece as they make it (at little cost per piece) instead of
/// holding all of it. Write errors are ignored, as print() ignores them.
class StdoutBuffer : public std::streambuf {
 public:
  StdoutBuffer() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  StdoutBuffer(const StdoutBuffer&) = delete;
  StdoutBuffer& operator=(const StdoutBuffer&) = delete;
  ~StdoutBuffer() override { sync(); }

 protected:
  int_type overflow(int_type ch) override {
    sync();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override {
    std::fwrite(pbase(), 1, static_cast<std::size_t>(pptr() - pbase()), stdout);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return 0;
  }

 private:
  std::array<char, 64 * 1024> buffer_{};
};

/// Writes what `render` writes to `path` through a temporary file renamed into place, so
/// a failed run leaves nothing half-written behind. Errors name the option `--out`.
void write_file(const std::string& path, const std::function<void(std::ostream&)>& render);

}  // namespace liaison::cli
