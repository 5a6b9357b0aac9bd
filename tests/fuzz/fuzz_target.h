// What every fuzz target of tests/fuzz/ shares: the libFuzzer entry point's signature and
// the one rule for exceptions. A reader refusing its input throws liaison::Error (or a
// subclass: DataError, UsageError, ConfigError …), which is the contract, so a target
// catches exactly that; anything else escaping (std::out_of_range, a nlohmann or toml++
// exception, a crash, a sanitizer report) is a bug the fuzzer is there to find.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace liaison::fuzz {

/// The input as text (any bytes, not necessarily UTF-8).
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A property every input must keep did not hold: abort, so libFuzzer saves the input
/// (and the replay driver fails) with `what` on standard error.
[[noreturn]] void violated(const char* what);

}  // namespace liaison::fuzz
