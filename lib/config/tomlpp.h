// The one way liaison includes toml++ (lib/config reads liaison.toml with it, `config show`
// prints with it): every file must see the same TOML_ASSERT, as toml++ is header-only.
//
// toml++ 3.3 (Debian 12) asserts a precondition its table-header parser does not ensure: a
// header such as "[*" or "[[[" reaches parse_key with a character no key starts with, and a
// build without NDEBUG aborts where the parser's next lines report the syntax error (found
// by tests/fuzz; fixed upstream in marzer/tomlplusplus#301). Release builds compile its
// assertions out; this does the same in every build, so the dev, sanitizer and fuzz builds
// read a bad file as the release does: a ConfigError with file:line:col.
#pragma once

#define TOML_ASSERT(expr) static_assert(true)
#include <toml++/toml.h>
