// CsvReader: RFC 4180 records from a stream, one at a time, with their line numbers (exchange.h).
#include "exchange.h"

#include <algorithm>
#include <cstring>
#include <istream>

namespace liaison {

int CsvReader::get() {
  if (!pending_.empty()) {
    int c = static_cast<unsigned char>(pending_.front());
    pending_.erase(0, 1);
    return c;
  }
  if (position_ == size_) {
    if (buffer_.empty()) buffer_.resize(1 << 16);
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    size_ = static_cast<std::size_t>(in_.gcount());
    position_ = 0;
    if (size_ == 0) return -1;
  }
  ++bytes_;
  return static_cast<unsigned char>(buffer_[position_++]);
}

bool CsvReader::next(std::vector<std::string>& cells, std::int64_t& line, bool& too_long) {
  cells.clear();
  too_long = false;
  if (!started_) {
    started_ = true;
    // A UTF-8 byte order mark, as spreadsheets write it, is skipped.
    std::string first;
    for (int i = 0; i < 3; ++i)
      if (int b = get(); b >= 0) first += static_cast<char>(b);
    if (first != "\xef\xbb\xbf") pending_ = first;
  }
  int c = get();
  if (c < 0) return false;
  cells.emplace_back();
  line = line_;
  {
    std::size_t size = 0;
    bool quoted = false, at_start = true;
    for (;; c = get()) {
      if (c < 0) break;
      if (quoted) {
        if (c == '"') {
          int d = get();
          if (d == '"') {
            if (!too_long) cells.back() += '"';
            continue;
          }
          quoted = false;
          c = d;
          if (c < 0) break;
        } else {
          if (c == '\n') ++line_;
          if (!too_long) cells.back() += static_cast<char>(c);
          if (++size > exchange_limits::kLine) too_long = true;
          continue;
        }
      }
      if (c == '"' && at_start) {
        quoted = true;
        at_start = false;
        continue;
      }
      if (c == ',') {
        if (!too_long) cells.emplace_back();
        at_start = true;
        continue;
      }
      if (c == '\r') {
        int d = get();
        if (d == '\n' || d < 0) {
          ++line_;
          break;
        }
        // A lone CR inside a row: keep it.
        if (!too_long) cells.back() += '\r';
        c = d;
      }
      if (c == '\n') {
        ++line_;
        break;
      }
      // Text after a closing quote ("ab"c) is kept, as spreadsheets do.
      at_start = false;
      if (!too_long) cells.back() += static_cast<char>(c);
      if (++size > exchange_limits::kLine) too_long = true;
    }
  }
  if (too_long) cells.clear();
  return true;
}

}  // namespace liaison
