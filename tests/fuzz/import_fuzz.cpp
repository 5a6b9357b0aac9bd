// Fuzz target: the JSON Lines import decoder (decode_jsonl, lib/services/import_decode.cpp),
// which turns one line of an export into a party or a record with its clocks and events,
// through the depth-bounded JSON parse, against the manufacturing example's config. The
// input is split into lines as `liaison import` reads a file. Every problem must print in
// both languages; every line accepted must be written again as export writes it
// (party_to_jsonl, record_to_jsonl) and that line must be accepted too.
#include <string>
#include <vector>

#include "config.h"
#include "examples.h"
#include "exchange.h"
#include "fuzz_target.h"

namespace {

struct Example {
  liaison::Config config =
      liaison::parse_config(std::string(*liaison::example_config("manufacturing")), "manufacturing/liaison.toml");
  liaison::WorkCalendar calendar{config.calendar};
};

/// The line export writes for `item`.
std::string exported(const liaison::ImportItem& item, const liaison::WorkCalendar& calendar) {
  if (item.type == liaison::ImportItem::Type::party) return liaison::party_to_jsonl(item.party, calendar);
  return liaison::record_to_jsonl(item.record, item.has_events ? &item.events : nullptr, false, calendar);
}

void print(const std::vector<liaison::ImportProblem>& problems) {
  for (const liaison::ImportProblem& p : problems) {
    p.format("fuzz.jsonl", liaison::Lang::en);
    p.format("fuzz.jsonl", liaison::Lang::zh);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Example example;
  std::string_view rest = liaison::fuzz::text_of(data, size);
  for (std::int64_t number = 1; !rest.empty(); ++number) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    try {
      std::vector<liaison::ImportProblem> problems;
      const auto item = liaison::decode_jsonl(line, number, example.config, example.calendar, problems);
      print(problems);
      if (!item) continue;
      if (!problems.empty()) liaison::fuzz::violated("a line accepted with problems");
      std::string again = exported(*item, example.calendar);
      again.pop_back();  // the newline
      const auto reread = liaison::decode_jsonl(again, number, example.config, example.calendar, problems);
      print(problems);
      if (!reread || !problems.empty()) liaison::fuzz::violated("an accepted line, exported again, is refused");
    } catch (const liaison::Error&) {
      // A refusal thrown rather than reported: still a refusal.
    }
  }
  return 0;
}
