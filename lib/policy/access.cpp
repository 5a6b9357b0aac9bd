#include "access.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "errors.h"

namespace liaison {

Access::Access(const Config& config, std::string actor, RedactionNote* note)
    : config_(config), actor_(std::move(actor)), note_(note) {
  single_user_ = config.users.empty();
  if (single_user_) return;
  user_ = config.user(actor_);
  if (user_) clearance_rank_ = std::max(0, config.level_rank(user_->clearance));
}

Access Access::mailbox(const Config& config, const std::string& department) {
  Access a(config, department);
  a.user_ = nullptr;
  if (a.single_user_) return a;
  int lowest = -1;
  auto take = [&](const std::string& id) {
    const User* u = config.user(id);
    int rank = u ? std::max(0, config.level_rank(u->clearance)) : 0;
    lowest = lowest < 0 ? rank : std::min(lowest, rank);
  };
  if (const Department* d = config.department(department)) {
    if (!d->head.empty()) take(d->head);
    for (const auto& m : d->members) take(m);
  }
  for (const auto& u : config.users)
    if (u.department == department) take(u.id);
  a.clearance_rank_ = std::max(0, lowest);
  return a;
}

bool Access::has_role(std::string_view role) const {
  return user_ && std::find(user_->roles.begin(), user_->roles.end(), role) != user_->roles.end();
}

bool Access::may_write() const { return single_user_ || (user_ && !has_role("auditor")); }

bool Access::may_act_on(const std::string& owner) const {
  if (single_user_) return true;
  if (!may_write()) return false;
  if (has_role("top") || has_role("admin")) return true;
  if (user_->department == owner) return true;
  const Department* dept = config_.department(owner);
  if (!dept) return false;
  return dept->head == actor_ || std::find(dept->members.begin(), dept->members.end(), actor_) != dept->members.end();
}

bool Access::may_read(std::string_view level) const {
  if (single_user_) return true;
  // A level the config does not list (renamed or removed since the record was filed)
  // counts as the highest: redaction fails closed.
  int rank = config_.level_rank(level);
  if (rank < 0) rank = static_cast<int>(config_.levels.order.size()) - 1;
  return rank <= clearance_rank_;
}

bool Access::may_read_every_level() const {
  return single_user_ || config_.levels.order.empty() || may_read(config_.levels.order.back());
}

bool Access::may_see_identity(const std::string& owner) const { return !identity_grant(owner).empty(); }

std::string_view Access::identity_grant(const std::string& owner) const {
  if (single_user_) return "single-user";
  if (!user_) return "";
  if (has_role("top")) return "top";
  if (has_role("admin")) return "admin";
  if (has_role("grievance")) return "grievance";
  const Department* dept = config_.department(owner);
  return dept && dept->head == actor_ ? "head" : "";
}

namespace {

std::string dept_label(const Config& config, const std::string& id) {
  const Department* d = config.department(id);
  return d && d->name != id ? fmt::format("{} ({})", d->name, id) : id;
}

}  // namespace

// The action words (`what`: "file", "add parties" …) are the catalogue's action_… phrases.
void Access::require_write(const Message& what) const {
  if (may_write()) return;
  if (user_)
    throw PermissionError(msg<Msg::may_not_auditors_read_but_never>(actor_, what),
                          msg<Msg::any_listed_user_who_not_auditor>(what));
  throw PermissionError(msg<Msg::not_user_may_not>(actor_, config_.path, what),
                        msg<Msg::act_listed_user_liaison_user_add>());
}

void Access::require_act_on(const Record& record, const Message& what) const {
  if (may_act_on(record.owner)) return;
  if (!may_write()) require_write(what);  // unlisted, or an auditor: say so, not "members may"
  throw PermissionError(msg<Msg::may_not>(actor_, what, record.ref),
                        msg<Msg::only_members_head_top_management_admin>(dept_label(config_, record.owner)));
}

void Access::require_identity(const Record& record) const {
  if (may_see_identity(record.owner)) return;
  Message hint = msg<Msg::only_head_top_management_admins_grievance>(dept_label(config_, record.owner));
  if (user_) throw PermissionError(msg<Msg::may_not_see_who_raised>(actor_, record.ref), std::move(hint));
  throw PermissionError(msg<Msg::not_user_may_not_see_who>(actor_, config_.path, record.ref), std::move(hint));
}

namespace {
/// Trusted with the whole database (a backup holds it, a checkpoint signs it): admins,
/// auditors, top management; anyone in single-user mode.
bool trusted_with_everything(const Access& a) {
  return a.single_user() || a.has_role("admin") || a.has_role("auditor") || a.has_role("top");
}
/// May write what spans every record (an import, a recount): admins and top management;
/// anyone in single-user mode.
bool writes_for_everyone(const Access& a) { return a.single_user() || a.has_role("admin") || a.has_role("top"); }
}  // namespace

void Access::require_backup() const {
  if (trusted_with_everything(*this)) return;
  throw PermissionError(msg<Msg::may_not_take_backup_holds_every>(actor_),
                        msg<Msg::ask_admin_auditor_top_management_act>());
}

void Access::require_checkpoint() const {
  if (trusted_with_everything(*this)) return;
  throw PermissionError(msg<Msg::may_not_checkpoint>(actor_), msg<Msg::ask_admin_auditor_top_management_act>());
}

void Access::require_import() const {
  if (writes_for_everyone(*this)) return;
  throw PermissionError(msg<Msg::may_not_import_records>(actor_), msg<Msg::only_admins_top_management_may_act>());
}

void Access::require_hold() const {
  if (writes_for_everyone(*this)) return;
  throw PermissionError(msg<Msg::may_not_hold>(actor_), msg<Msg::only_admins_top_management_hold>());
}

void Access::require_purge() const {
  if (single_user() || has_role("admin")) return;
  throw PermissionError(msg<Msg::may_not_purge>(actor_), msg<Msg::only_admins_purge>());
}

void Access::require_recount() const {
  if (writes_for_everyone(*this)) return;
  throw PermissionError(msg<Msg::may_not_recount>(actor_), msg<Msg::only_admins_top_management_recount>());
}

void Access::note_redacted() const {
  if (note_) note_->anything = true;
}

std::string_view redaction_mark(Lang lang) { return lang == Lang::zh ? "[机密]" : "[confidential]"; }

bool is_free_text_key(std::string_view key) {
  // The references a person typed (CAPA, 8D, the customer's own number) are hidden like
  // the text: a number can name a customer or a case the reader may not know of.
  static constexpr std::array<std::string_view, 13> keys{
      "subject", "body",    "text",         "reason",    "note", "resolution", "explanation", "capa",
      "eight_d", "customer_ref", "their_ref", "compliance_obligation", "evidence"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Record redact(Record record, const Access& access, Lang lang) {
  if (access.may_read(record.level)) return record;
  access.note_redacted();
  std::string mark(redaction_mark(lang));
  record.subject = mark;
  if (!record.body.empty()) record.body = mark;
  if (!record.resolution.empty()) record.resolution = mark;
  if (!record.capa.empty()) record.capa = mark;
  if (!record.eight_d.empty()) record.eight_d = mark;
  if (!record.customer_ref.empty()) record.customer_ref = mark;
  if (!record.their_ref.empty()) record.their_ref = mark;
  if (!record.compliance_obligation.empty()) record.compliance_obligation = mark;
  return record;
}

namespace {

/// Every non-empty string in `j`, at any depth: the value of a free-text key may be a
/// structure (an edit's {"subject": {"from": …, "to": …}}), and all of it is text.
void redact_strings(nlohmann::json& j, const std::string& mark) {
  if (j.is_string()) {
    if (!j.get_ref<const std::string&>().empty()) j = mark;
  } else if (j.is_structured()) {
    for (auto& v : j) redact_strings(v, mark);
  }
}

void redact_json(nlohmann::json& j, const std::string& mark) {
  if (!j.is_object()) {
    if (j.is_array())
      for (auto& v : j) redact_json(v, mark);
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (is_free_text_key(it.key())) {
      redact_strings(*it, mark);
    } else if (it.key() == "attachments" && it->is_array()) {
      // That there is an attachment, and its number, but not its name, type, size or
      // digest (a digest would confirm a guessed file).
      for (auto& a : *it)
        a = nlohmann::json{{"n", a.is_object() && a.contains("n") ? a["n"] : nlohmann::json(nullptr)}, {"name", mark}};
    } else if (it.key() == "message_sha256") {
      *it = mark;  // a digest confirms a guess (a Message-ID the reader saw elsewhere)
    } else {
      redact_json(*it, mark);
    }
  }
}

}  // namespace

std::string redact_text(std::string text, std::string_view level, const Access& access, Lang lang) {
  if (text.empty() || access.may_read(level)) return text;
  access.note_redacted();
  return std::string(redaction_mark(lang));
}

Event redact(Event event, std::string_view level, const Access& access, Lang lang) {
  if (!access.may_read_every_level()) {
    event.hash.clear();
    event.prev_hash.clear();
    event.salt.clear();
  }
  if (access.may_read(level)) return event;
  access.note_redacted();
  auto data = nlohmann::json::parse(event.data, nullptr, false);
  if (data.is_discarded()) {
    event.data = nlohmann::json{{"text", redaction_mark(lang)}}.dump();
    return event;
  }
  redact_json(data, std::string(redaction_mark(lang)));
  event.data = data.dump();
  return event;
}

}  // namespace liaison
