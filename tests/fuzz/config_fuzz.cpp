// Fuzz target: the liaison.toml reader and its checks, what `liaison config check` runs
// (parse_config, lib/config), on any text. A refusal is a ConfigError whose diagnostics
// must print in both languages; an accepted config must survive the binary config cache
// (config_to_cache, config_from_cache) unchanged and give a working calendar.
#include <string>

#include "calendar.h"
#include "config.h"
#include "config_cache.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(liaison::fuzz::text_of(data, size));
  liaison::Config config;
  try {
    config = liaison::parse_config(text, "fuzz/liaison.toml");
  } catch (const liaison::ConfigError& e) {
    for (const liaison::Diagnostic& d : e.diagnostics()) {
      d.format(liaison::Lang::en);
      d.format(liaison::Lang::zh);
    }
    return 0;
  } catch (const liaison::Error&) {
    return 0;
  }
  for (const liaison::Diagnostic& w : config.warnings) {
    w.format(liaison::Lang::en);
    w.format(liaison::Lang::zh);
  }
  if (!(liaison::config_from_cache(liaison::config_to_cache(config)) == config))
    liaison::fuzz::violated("the config cache does not give back the same Config");
  try {
    const liaison::WorkCalendar calendar(config.calendar);
  } catch (const liaison::Error&) {
    liaison::fuzz::violated("a validated config whose calendar cannot be built");
  }
  return 0;
}
