// The few error types the library throws; cmd/main.cpp catches them once and maps each
// to its documented exit status.
#pragma once
#include <cstring>
#include <stdexcept>
#include <string>

#include "messages.h"

namespace liaison {

/// Exit statuses of the command-line contract (man/liaison.1, EXIT STATUS).
enum class ExitCode : int {
  ok = 0,
  failure = 1,
  usage = 2,
  condition = 3,   ///< only with --exit-status: the condition asked about holds
  not_found = 4,
  invalid_state = 5,
  data = 65,       ///< bad input data
  io = 74,         ///< the output could not be written (EX_IOERR)
  busy = 75,       ///< database busy, retry
  permission = 77,
  config = 78,
};

/// Base of every error the library throws on purpose: a message of the catalogue ("what
/// went wrong") and a hint ("what to do"), each an id with its values. `what()` and `hint()`
/// are the English (logs, tests); the command-line edge renders `message()` and
/// `hint_message()` in the user's language.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, Message message, Message hint = {})
      : std::runtime_error(message.english()),
        code_(code),
        hint_(hint.english()),
        message_(std::move(message)),
        hint_message_(std::move(hint)) {}
  ExitCode code() const { return code_; }
  const std::string& hint() const { return hint_; }
  const Message& message() const { return message_; }
  const Message& hint_message() const { return hint_message_; }

 private:
  ExitCode code_;
  std::string hint_;
  Message message_;
  Message hint_message_;
};

/// Wrong use of a command: bad flag values, malformed times (exit 2).
struct UsageError : Error {
  explicit UsageError(Message m, Message h = {}) : Error(ExitCode::usage, std::move(m), std::move(h)) {}
};
/// Bad input data: missing required fields, invalid text (exit 65).
struct DataError : Error {
  explicit DataError(Message m, Message h = {}) : Error(ExitCode::data, std::move(m), std::move(h)) {}
};
/// A reference, party, department … that does not exist (exit 4).
struct NotFoundError : Error {
  explicit NotFoundError(Message m, Message h = {}) : Error(ExitCode::not_found, std::move(m), std::move(h)) {}
};
/// A lifecycle step that the record's state does not allow (exit 5).
struct StateError : Error {
  explicit StateError(Message m, Message h = {}) : Error(ExitCode::invalid_state, std::move(m), std::move(h)) {}
};
/// The acting user may not do this (exit 77).
struct PermissionError : Error {
  explicit PermissionError(Message m, Message h = {}) : Error(ExitCode::permission, std::move(m), std::move(h)) {}
};
/// The database is locked by another writer past the busy timeout (exit 75).
struct BusyError : Error {
  explicit BusyError(Message m, Message h = {}) : Error(ExitCode::busy, std::move(m), std::move(h)) {}
};
/// Storage failure that is not the user's doing: corrupt file, newer schema (exit 1).
struct StoreError : Error {
  explicit StoreError(Message m, Message h = {}) : Error(ExitCode::failure, std::move(m), std::move(h)) {}
};

/// The output (standard output, an --out file) could not be written: a full disk, an I/O
/// error, a reader that went away (exit 74). `error_number` is the errno of the failed
/// write; EPIPE (the reader of a pipe is gone) ends liaison quietly instead (cmd/main.cpp).
struct OutputError : Error {
  OutputError(Message m, Message h, int error) : Error(ExitCode::io, std::move(m), std::move(h)), error_number(error) {}
  int error_number = 0;
};
/// The error for a failed write to `destination` (msg<Msg::standard_output>()), errno `error`.
inline OutputError write_failed(const Message& destination, int error) {
  return OutputError(msg<Msg::cannot_write_to>(destination, std::strerror(error)), msg<Msg::make_room_on_disk>(), error);
}

}  // namespace liaison
