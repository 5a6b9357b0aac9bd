// Parsing helpers for command-line values: --direction, --flow, comma lists, "-" for stdin.
#include "common.h"

#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "errors.h"

namespace liaison::cli {

Direction direction_option(const std::string& text) {
  if (auto d = parse_direction(text)) return *d;
  throw UsageError(msg<Msg::direction_unknown_direction>(text), msg<Msg::use_internal_or_external>());
}

Flow flow_option(const std::string& text) {
  if (auto f = parse_flow(text); f && *f != Flow::none) return *f;
  throw UsageError(msg<Msg::flow_unknown_flow>(text), msg<Msg::use_upward_downward_lateral>());
}

std::vector<std::string> split_list(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& g : given) {
    std::size_t start = 0;
    for (;;) {
      auto comma = g.find(',', start);
      std::string part = g.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

std::string read_stdin() {
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string text_or_stdin(const std::string& text) { return text == "-" ? read_stdin() : text; }

}  // namespace liaison::cli
