// The example configurations shipped in examples/, embedded at build time for `init`.
#pragma once
#include <optional>
#include <string_view>

namespace liaison {

/// The text of examples/<name>/liaison.toml ("minimal", "manufacturing"), or nullopt.
std::optional<std::string_view> example_config(std::string_view name);

}  // namespace liaison
