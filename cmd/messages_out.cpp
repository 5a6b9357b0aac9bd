// Writing to the terminal: print to stdout, print_error to stderr, say a translated line.
#include "common.h"

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

#include "errors.h"
#include "messages.h"

namespace liaison::cli {

void print(const std::string& text) {
  // A failed write is OutputError (exit 74); stdout is buffered, so most failures show
  // only when it is flushed at the end (flush_stdout in cmd/main.cpp).
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
    throw write_failed("standard output", errno ? errno : EIO);
}

void print_error(Lang lang, const Message& message, const Message& hint) {
  std::string what = message.render(lang);
  if (hint.empty()) fmt::print(stderr, "liaison: {}\n", what);
  else fmt::print(stderr, "liaison: {} ({})\n", what, hint.render(lang));
}

void print_error(Lang lang, const Error& error) { print_error(lang, error.message(), error.hint_message()); }

void print_error(Lang lang, const std::string& message, const std::string& hint) {
  print_error(lang, Message::english_text(message), Message::english_text(hint));
}

void say(const Env& env, const Message& line) { print(line.render(env.lang()) + "\n"); }

void say(const Env& env, const std::string& line) { say(env, Message::english_text(line)); }

}  // namespace liaison::cli
