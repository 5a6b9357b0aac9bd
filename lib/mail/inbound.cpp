// Running the MIME parser (helpers/liaison-mime) and reading what it says; RFC 3834's
// rules on answering automatically.
#include "inbound.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "utf8.h"

namespace liaison {

using nlohmann::json;

namespace {


MailAddress address_of(const json& j) {
  return {j.value("name", std::string()), j.value("email", std::string())};
}

}  // namespace

std::vector<std::string> InboundMail::header(std::string_view name) const {
  std::vector<std::string> values;
  const std::string want = ascii_lower(name);
  for (const auto& [n, v] : headers)
    if (ascii_lower(n) == want) values.push_back(v);
  return values;
}

InboundMail inbound_from_json(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("from") || !j["from"].is_object())
    throw DataError(msg<Msg::mime_parser_said_nothing>(), msg<Msg::mime_parser_reinstall>());
  InboundMail m;
  try {
    m.message_id = j.value("message_id", std::string());
    m.subject = j.value("subject", std::string());
    m.from = address_of(j["from"]);
    for (const auto& a : j.value("to", json::array())) m.to.push_back(address_of(a));
    for (const auto& a : j.value("cc", json::array())) m.cc.push_back(address_of(a));
    if (j.contains("date") && j["date"].is_number_integer())
      m.date = TimePoint{std::chrono::seconds{j["date"].get<std::int64_t>()}};
    for (const auto& id : j.value("in_reply_to", json::array())) m.in_reply_to.push_back(id.get<std::string>());
    for (const auto& id : j.value("references", json::array())) m.references.push_back(id.get<std::string>());
    for (const auto& h : j.value("headers", json::array()))
      m.headers.emplace_back(h.at(0).get<std::string>(), h.at(1).get<std::string>());
    m.text = j.value("text", std::string());
    m.text_from_html = j.value("text_from_html", false);
    for (const auto& p : j.value("parts", json::array())) {
      InboundPart part{p.value("name", std::string()), p.value("media_type", std::string()), {}};
      auto bytes = base64_decode(p.value("content", std::string()));
      if (!bytes) throw DataError(msg<Msg::mime_parser_said_nothing>(), msg<Msg::mime_parser_reinstall>());
      part.content = std::move(*bytes);
      m.parts.push_back(std::move(part));
    }
  } catch (const json::exception&) {
    throw DataError(msg<Msg::mime_parser_said_nothing>(), msg<Msg::mime_parser_reinstall>());
  }
  return m;
}

std::string mime_helper_path() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "liaison-mime";
  const auto dir = self.parent_path();
  for (const auto& candidate : {dir / "liaison-mime", dir.parent_path() / "lib" / "liaison" / "liaison-mime"})
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  return (dir.parent_path() / "lib" / "liaison" / "liaison-mime").string();
}

ParsedMail parse_mail(const std::string& helper, std::string_view raw, std::chrono::seconds timeout) {
  ParsedMail result;
  // The message goes in through a memory file: the parser reads it at its own pace, and
  // nothing here blocks writing to a pipe it has not read yet.
  const int input = ::memfd_create("liaison-mail", MFD_CLOEXEC);
  if (input < 0) {
    result.temporary = true;
    result.problem = msg<Msg::cannot_run_command>(helper, std::strerror(errno));
    return result;
  }
  std::size_t put = 0;
  while (put < raw.size()) {
    ssize_t n = ::write(input, raw.data() + put, raw.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(input);
      result.temporary = true;
      result.problem = msg<Msg::cannot_run_command>(helper, std::strerror(errno));
      return result;
    }
    put += static_cast<std::size_t>(n);
  }
  ::lseek(input, 0, SEEK_SET);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(input);
    result.temporary = true;
    result.problem = msg<Msg::cannot_make_pipe>(std::strerror(errno));
    return result;
  }
  // Limits for a parser that meets mail from anyone: memory (the message, its decoded
  // parts and their base64, several times over) and CPU time.
  const rlim_t memory = static_cast<rlim_t>(512) * 1024 * 1024 + static_cast<rlim_t>(raw.size()) * 16;
  const rlim_t cpu = static_cast<rlim_t>(timeout.count());
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(input);
    ::close(out[0]);
    ::close(out[1]);
    result.temporary = true;
    result.problem = msg<Msg::cannot_run_command>(helper, std::strerror(errno));
    return result;
  }
  if (pid == 0) {
    ::dup2(input, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    rlimit as{memory, memory}, seconds{cpu, cpu};
    ::setrlimit(RLIMIT_AS, &as);
    ::setrlimit(RLIMIT_CPU, &seconds);
    ::signal(SIGPIPE, SIG_DFL);
    char* argv[] = {const_cast<char*>(helper.c_str()), nullptr};
    ::execv(helper.c_str(), argv);
    ::_exit(127);
  }
  ::close(input);
  ::close(out[1]);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string answer;
  bool timed_out = false;
  const std::size_t most = raw.size() * 3 + 16 * 1024 * 1024;  // base64 of every part, and the text
  char buffer[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{out[0], POLLIN, 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, INT_MAX)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timed_out = true;
      break;
    }
    ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
    if (answer.size() > most) {
      timed_out = true;  // a parser gone wrong: stopped the same way
      break;
    }
  }
  ::close(out[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    result.temporary = true;
    result.problem = msg<Msg::cannot_run_command>(helper, std::strerror(ENOENT));
    return result;
  }
  if (timed_out || !WIFEXITED(status)) {
    result.problem = msg<Msg::mime_parser_gave_up>();
    return result;
  }
  if (WEXITSTATUS(status) == 65) {
    json j = json::parse(answer, nullptr, false);
    const std::string why = j.is_object() ? j.value("error", std::string()) : std::string();
    result.problem = msg<Msg::message_unreadable>(why);
    return result;
  }
  if (WEXITSTATUS(status) != 0) {
    result.temporary = true;
    result.problem = msg<Msg::command_exited_with_status>(helper, WEXITSTATUS(status));
    return result;
  }
  result.mail = inbound_from_json(answer);
  return result;
}

std::string no_auto_reply_reason(const InboundMail& mail, const std::string& own) {
  for (const auto& v : mail.header("Auto-Submitted")) {
    std::string value = ascii_lower(v);
    value = value.substr(0, value.find_first_of(" \t;("));  // "no (comment)" is still no
    if (value != "no") return "Auto-Submitted: " + v;
  }
  for (const auto& [name, value] : mail.headers) {
    const std::string n = ascii_lower(name);
    if (n == "list-id" || n == "list-post" || n == "list-unsubscribe" || n == "list-help") return name + " (a mailing list)";
    if (n == "precedence") {
      const std::string p = ascii_lower(value);
      if (p == "bulk" || p == "list" || p == "junk") return "Precedence: " + value;
    }
    if (n == "x-auto-response-suppress" && !value.empty()) return name + ": " + value;
  }
  const std::string from = ascii_lower(mail.from.email);
  if (from.empty()) return "no sender";
  const std::string local = from.substr(0, from.find('@'));
  if (local == "mailer-daemon" || local == "postmaster" || local.starts_with("owner-") || local.ends_with("-request"))
    return "sender " + mail.from.email;
  if (!own.empty() && from == own) return "sender is liaison's own address";
  for (const auto& v : mail.header("Return-Path"))
    if (v.find("<>") != std::string::npos) return "Return-Path: <>";
  return {};
}

}  // namespace liaison
