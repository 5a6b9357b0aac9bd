// Reading liaison.toml: the TOML syntax (toml++), then the sections and checks of
// ConfigParser, every problem collected as a Diagnostic with the file, line and column of
// the offending value and all of them reported at once in one ConfigError; and where the
// file is looked for.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config_parser.h"
#include "hash.h"

namespace liaison {

using namespace config_parsing;

namespace {

namespace fs = std::filesystem;

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
  });
}

[[noreturn]] void throw_errors(const std::string& path, std::vector<Diagnostic> diagnostics) {
  auto errors = std::count_if(diagnostics.begin(), diagnostics.end(),
                              [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
  // The diagnostics carry the detail; the summary only counts them.
  throw ConfigError(errors == 1 ? msg<Msg::n1_error_configuration>(path) : msg<Msg::errors_configuration>(path, errors),
                    std::move(diagnostics));
}

}  // namespace

Config parse_config(const std::string& text, const std::string& path) {
  Config config;
  config.path = path;
  config.hash = sha256_hex(text);
  Reader reader(path);
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    reader.error(pos_of(e.source()), msg<Msg::cfg_toml_syntax_error>(e.description()), msg<Msg::cfg_fix_syntax_here>());
    throw_errors(path, std::move(reader.diagnostics()));
  }
  ConfigParser(config, reader).parse(root);
  auto& diagnostics = reader.diagnostics();
  sort_diagnostics(diagnostics);
  bool failed = std::any_of(diagnostics.begin(), diagnostics.end(),
                            [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
  if (failed) throw_errors(path, std::move(diagnostics));
  config.warnings = std::move(diagnostics);
  return config;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    Diagnostic d;
    d.file = path;
    d.message = msg<Msg::cfg_cannot_read_file>(std::strerror(errno));
    d.hint = msg<Msg::cfg_check_path_or_init>(path);
    throw_errors(path, {d});
  }
  return parse_config(text.str(), path);
}

std::optional<std::string> find_config_file() {
  if (const char* env = std::getenv("LIAISON_CONFIG"); env && *env) return std::string(env);
  std::vector<fs::path> candidates{"liaison.toml"};
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    candidates.push_back(fs::path(xdg) / "liaison" / "liaison.toml");
  else if (const char* home = std::getenv("HOME"); home && *home)
    candidates.push_back(fs::path(home) / ".config" / "liaison" / "liaison.toml");
  candidates.push_back("/etc/liaison/liaison.toml");
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

}  // namespace liaison
