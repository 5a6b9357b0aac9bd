// Who may do what (liaison(1), ACCESS CONTROL): roles and clearances from the config.
// Every command asks an `Access` built from the config and the acting user; with no
// [[user]] in the config (single-user mode) everything is allowed and nothing redacted.
#pragma once
#include <string>
#include <string_view>

#include "config.h"
#include "i18n.h"
#include "model.h"

namespace liaison {

/// Whether anything of one command's output was replaced by the redaction mark: owned by
/// whoever runs the command (the command line's Env), handed to the Access that redacts
/// for its reader, and read at the end so that the command line can say once why
/// (liaison(1), ACCESS CONTROL).
struct RedactionNote {
  bool anything = false;
};

class Access {
 public:
  /// `note`, when given, is told of every redaction this Access makes (note_redacted); it
  /// must outlive the Access and its copies.
  Access(const Config& config, std::string actor, RedactionNote* note = nullptr);
  /// What a department's own mailbox may read (remind mails it): the lowest clearance
  /// among its head and members, since any of them reads it; unlisted ones count as the
  /// lowest level. It may not write.
  static Access mailbox(const Config& config, const std::string& department);

  /// The config lists no users: everything is allowed, nothing is redacted.
  bool single_user() const { return single_user_; }
  const std::string& actor() const { return actor_; }
  /// The acting user's entry, or nullptr when not listed (or in single-user mode).
  const User* user() const { return user_; }
  bool has_role(std::string_view role) const;

  /// file, log, escalate, party add/edit, remind: any listed user without the auditor
  /// role (auditors read but never write, whatever other roles they have). Unlisted
  /// users may read (at the lowest clearance) but not write.
  bool may_write() const;
  /// ack, route, wait, resume, close, reopen: members or the head of the owner
  /// department, top management (role top), admins. Never an auditor-only user.
  bool may_act_on(const std::string& owner) const;
  /// Subject, body and history text of a record at `level` may be shown: the user's
  /// clearance ranks at or above it. Unlisted users have the lowest level's clearance; a
  /// level the config does not list counts as the highest.
  bool may_read(std::string_view level) const;
  /// may_read every level of the config (and so the levels it no longer lists). Only
  /// such a reader is shown events' hashes: a hash over unredacted data would confirm a
  /// guessed text, and each event's prev_hash is the hash of another record's event.
  bool may_read_every_level() const;
  /// The complainant's identity: the owner department's head, top management, admins,
  /// users with the grievance role.
  bool may_see_identity(const std::string& owner) const;
  /// Why may_see_identity(owner) holds: "single-user", "top", "admin", "grievance" or
  /// "head" (of the owner department); "" when it does not. Recorded in identity-viewed.
  std::string_view identity_grant(const std::string& owner) const;

  /// PermissionError (exit 77) unless may_write(); `what` names the action
  /// (msg<Msg::action_file>(): "file").
  void require_write(const Message& what) const;
  /// PermissionError unless may_act_on(record.owner), saying who may.
  void require_act_on(const Record& record, const Message& what) const;
  /// PermissionError unless may_see_identity(record.owner), saying who may.
  void require_identity(const Record& record) const;
  /// A backup holds every record at every level, so only those trusted with all of it may
  /// take one: admins, auditors and top management (anyone in single-user mode).
  /// PermissionError otherwise.
  void require_backup() const;
  /// A checkpoint signs the whole history's state; the same people as for a backup may
  /// write one (it changes no record). PermissionError otherwise.
  void require_checkpoint() const;
  /// Admins and top management may import (it writes records of every level and
  /// department); everyone in single-user mode. PermissionError otherwise.
  void require_import() const;
  /// Rebuilding the report's kept counts and cycles (audit recount): the same people as
  /// for an import. PermissionError otherwise.
  void require_recount() const;
  /// Placing or releasing a legal hold: the same people as for an import.
  /// PermissionError otherwise.
  void require_hold() const;
  /// Applying a purge (liaison purge --apply): admins only (anyone in single-user mode).
  /// PermissionError otherwise.
  void require_purge() const;

  /// Something was replaced by the redaction mark for this reader (redact, redact_text,
  /// and the other places that put the mark in): tells the RedactionNote, if any.
  void note_redacted() const;

 private:
  const Config& config_;
  std::string actor_;
  const User* user_ = nullptr;
  bool single_user_ = true;
  int clearance_rank_ = 0;
  RedactionNote* note_ = nullptr;
};

/// What stands in for a redacted text: "[机密]" or "[confidential]".
std::string_view redaction_mark(Lang lang);
/// `text` as `access` may see it on a record of `level`: the mark when the level is above
/// the user's clearance and the text is not empty (an empty text stays empty).
std::string redact_text(std::string text, std::string_view level, const Access& access, Lang lang);
/// Event data keys holding free text that redaction replaces.
bool is_free_text_key(std::string_view key);

/// The record as `access` may see it: subject, body, resolution, capa, eight_d,
/// customer_ref, their_ref and compliance_obligation replaced by
/// the mark when the record's level is above the user's clearance. Reference, kind,
/// owner, dates and states are kept.
Record redact(Record record, const Access& access, Lang lang);
/// The event as `access` may see it, given the level of its record: free-text values in
/// its data (subject, body, text, reason, note, resolution, explanation, capa, eight_d,
/// customer_ref, their_ref, compliance_obligation, evidence) replaced
/// by the mark, at any depth. Hash, prev_hash and salt are cleared unless `access` may
/// read every level (verification reads the store, not this).
Event redact(Event event, std::string_view level, const Access& access, Lang lang);

}  // namespace liaison
