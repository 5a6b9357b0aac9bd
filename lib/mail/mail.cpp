#include "mail.h"

#include <openssl/evp.h>
#include <signal.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
// glibc 2.36's <sys/pidfd.h> lacks extern "C" (fixed in 2.37).
extern "C" {
#include <sys/pidfd.h>
}
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>

#include <date/date.h>
#include <fmt/format.h>

#include "errors.h"

extern char** environ;

namespace liaison {
namespace {

constexpr std::size_t kMaxLine = 78;         // RFC 5322 §2.1.1: SHOULD be no more than 78
constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047 §2
constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";

/// CR, LF or NUL in a header value would end the header (or the message) early: the
/// value could then inject headers of its own. Refused, never cleaned up silently.
void refuse_line_breaks(std::string_view value, std::string_view header) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    throw DataError(msg<Msg::header_would_contain_line_break>(header), msg<Msg::remove_line_breaks_from_names_subjects>());
}

bool printable_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

/// Length of the text after its last fold.
std::size_t last_line_length(std::string_view text, std::size_t used) {
  auto nl = text.rfind('\n');
  return nl == std::string_view::npos ? used + text.size() : text.size() - nl - 1;
}

/// Printable ASCII folded before spaces so lines stay within 78 where the words allow.
std::string fold_ascii(std::string_view text, std::size_t used) {
  std::string out;
  std::size_t line = used;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto space = text.find(' ', start + 1);
    std::string_view word = text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start);
    // `word` begins with the space that separated it from the previous one (except the first).
    if (!out.empty() && word.size() > 0 && word[0] == ' ' && line + word.size() > kMaxLine) {
      out += '\n';
      line = 0;
    }
    out += word;
    line += word.size();
    if (space == std::string_view::npos) break;
    start = space;
  }
  return out;
}

/// RFC 2047 "B" encoded words for `text`, folded; see encode_header_text.
std::string encoded_words(std::string_view text, std::size_t used) {
  std::string out;
  std::size_t line = used;
  std::size_t pos = 0;
  const std::size_t overhead = kWordStart.size() + kWordEnd.size();
  do {
    // Each word after the first goes on a line of its own (a fold before it).
    if (!out.empty()) {
      out += "\n ";
      line = 1;
    }
    std::size_t room = kMaxLine > line ? kMaxLine - line : 0;
    std::size_t word_len = std::min(kMaxEncodedWord, room);
    if (word_len < overhead + 8) {  // not even one 4-byte character fits: fold first
      out += "\n ";
      line = 1;
      word_len = kMaxEncodedWord;
    }
    std::size_t max_bytes = (word_len - overhead) / 4 * 3;
    std::size_t take = std::min(max_bytes, text.size() - pos);
    // Back off to a character boundary: never end a word before a continuation byte.
    std::size_t end = pos + take;
    while (end < text.size() && end > pos && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (end == pos) end = pos + take;  // not UTF-8 at all: take the bytes as they are
    std::string word = std::string(kWordStart) + base64_encode(text.substr(pos, end - pos)) + std::string(kWordEnd);
    out += word;
    line += word.size();
    pos = end;
  } while (pos < text.size());
  return out;
}

bool plausible_address(std::string_view email) {
  auto at = email.rfind('@');
  if (email.empty() || at == 0 || at == std::string_view::npos || at + 1 == email.size()) return false;
  for (unsigned char c : email)
    if (c <= 0x20 || c > 0x7e || std::strchr("<>()[],;:\"\\", c)) return false;
  return true;
}

/// A display name as a phrase: as it is when it is an atom sequence, quoted when it holds
/// specials, encoded words when it is not ASCII.
std::string encode_display_name(std::string_view name, std::size_t used) {
  if (!printable_ascii(name) || name.find("=?") != std::string_view::npos) return encoded_words(name, used);
  if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string format_mailbox(const MailAddress& a, std::string_view header, std::size_t used) {
  refuse_line_breaks(a.name, header);
  refuse_line_breaks(a.email, header);
  if (!plausible_address(a.email))
    throw DataError(msg<Msg::not_mail_address_header>(a.email, header), msg<Msg::write_addresses_in_config>());
  if (a.name.empty()) return a.email;
  std::string out = encode_display_name(a.name, used);
  std::string addr = "<" + a.email + ">";
  if (last_line_length(out, used) + 1 + addr.size() > kMaxLine) out += "\n";
  return out + " " + addr;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=' && i + 2 >= text.size() && (padding || i + 1 == text.size() || text[i + 1] == '=')) ++padding;
    else if (!alphabet || padding) return std::nullopt;
  }
  std::string out(3 * (text.size() / 4), '\0');
  if (text.empty()) return out;
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - padding);  // EVP_DecodeBlock counts the padding as zero bytes
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

MailAddress parse_mailbox(std::string_view text) {
  refuse_line_breaks(text, "From");
  MailAddress a;
  auto open = text.find('<');
  if (open != std::string_view::npos && text.back() == '>') {
    std::string_view name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    a.name = std::string(name);
    a.email = std::string(text.substr(open + 1, text.size() - open - 2));
  } else {
    a.email = std::string(text);
  }
  if (!plausible_address(a.email))
    throw DataError(msg<Msg::not_mail_address>(text), msg<Msg::write_mail_address>());
  return a;
}

std::string encode_header_text(std::string_view text, std::size_t used) {
  refuse_line_breaks(text, "Subject");
  // "=?" in plain text could be read as the start of an encoded word: encode it too.
  if (printable_ascii(text) && text.find("=?") == std::string_view::npos) return fold_ascii(text, used);
  return encoded_words(text, used);
}

std::string rfc5322_date(TimePoint t, std::int32_t utc_offset) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto local = t + std::chrono::seconds{utc_offset};
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd{day};
  date::weekday wd{day};
  date::hh_mm_ss<std::chrono::seconds> tod{local - day};
  int minutes = utc_offset / 60;
  int magnitude = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}, {} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}", kDays[wd.c_encoding()],
                     static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), tod.hours().count(), tod.minutes().count(),
                     tod.seconds().count(), minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

std::string format_message(const MailMessage& m) {
  if (m.to.empty()) throw DataError(msg<Msg::message_needs_recipient>());
  std::string out = "From: " + format_mailbox(m.from, "From", 6) + "\n";
  std::string to;
  for (const auto& a : m.to) to += (to.empty() ? "" : ",\n ") + format_mailbox(a, "To", to.empty() ? 4 : 1);
  out += "To: " + to + "\n";
  out += "Subject: " + encode_header_text(m.subject, 9) + "\n";
  out += "Date: " + rfc5322_date(m.date, m.utc_offset) + "\n";
  refuse_line_breaks(m.message_id, "Message-ID");
  if (!m.message_id.empty()) out += "Message-ID: <" + m.message_id + ">\n";
  out += "MIME-Version: 1.0\n";
  out += "Content-Type: text/plain; charset=UTF-8\n";
  out += "Content-Transfer-Encoding: base64\n";
  for (const auto& [name, value] : m.extra_headers) {
    refuse_line_breaks(name, "extra");
    if (name.empty() || !printable_ascii(name) || name.find_first_of(": ") != std::string::npos)
      throw DataError(msg<Msg::not_header_name>(name));
    refuse_line_breaks(value, name);
    out += name + ": " + encode_header_text(value, name.size() + 2) + "\n";
  }
  out += "\n";
  // RFC 2045 §6.8: text is base64-encoded in its canonical form, lines ended by CRLF.
  std::string canonical;
  canonical.reserve(m.body.size() + m.body.size() / 40);
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    if (m.body[i] == '\n' && (i == 0 || m.body[i - 1] != '\r')) canonical += '\r';
    canonical += m.body[i];
  }
  std::string encoded = base64_encode(canonical);
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\n";
  return out;
}

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < command.size()) {
    auto start = command.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    auto end = command.find_first_of(" \t", start);
    words.emplace_back(command.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    pos = end == std::string_view::npos ? command.size() : end;
  }
  return words;
}

DeliveryResult deliver(const std::string& command, std::string_view message, std::chrono::seconds timeout) {
  auto words = split_command(command);
  if (words.empty()) return {false, msg<Msg::sendmail_command_empty>()};
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {false, msg<Msg::cannot_make_pipe>(std::strerror(errno))};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);

  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    return {false, msg<Msg::cannot_run_command>(words[0], std::strerror(rc))};
  }

  // The message is written without blocking and the exit awaited on a pidfd, both
  // with poll() against one deadline: a command that stops reading, or never exits, is
  // killed when the deadline passes.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left_ms = [&] {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, std::min<std::int64_t>(left.count(), INT_MAX)));
  };
  bool timed_out = false;
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  // A command that exits without reading everything must not kill us with SIGPIPE.
  struct sigaction ignore{}, previous{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, &previous);
  std::size_t written = 0;
  while (written < message.size()) {
    ssize_t n = ::write(fds[1], message.data() + written, message.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd out{fds[1], POLLOUT, 0};
      const int ready = ::poll(&out, 1, left_ms());
      if (ready == 0) {
        timed_out = true;
        break;
      }
      continue;  // writable, or an error the next write reports
    }
    break;  // EPIPE: the command stopped reading; its exit status tells why
  }
  ::close(fds[1]);
  ::sigaction(SIGPIPE, &previous, nullptr);

  if (!timed_out) {
    const int pidfd = ::pidfd_open(pid, 0);
    if (pidfd >= 0) {
      for (;;) {
        pollfd exited{pidfd, POLLIN, 0};
        const int ready = ::poll(&exited, 1, left_ms());
        if (ready < 0 && errno == EINTR) continue;
        timed_out = ready == 0;
        break;
      }
      ::close(pidfd);
    }  // without pidfds (Linux before 5.3) the wait below has no deadline
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return {false, msg<Msg::cannot_wait_for_command>(words[0], std::strerror(errno))};
  }
  if (timed_out) return {false, msg<Msg::command_timed_out>(words[0], timeout.count())};
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    if (written < message.size())
      return {false, msg<Msg::command_exited_before_reading>(words[0])};
    return {true, {}};
  }
  if (WIFEXITED(status)) return {false, msg<Msg::command_exited_with_status>(words[0], WEXITSTATUS(status))};
  if (WIFSIGNALED(status)) return {false, msg<Msg::command_killed_by_signal>(words[0], WTERMSIG(status))};
  return {false, msg<Msg::command_failed>(words[0])};
}

}  // namespace liaison
