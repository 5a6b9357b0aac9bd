#include "services.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access.h"
#include "attachments.h"
#include "chain.h"
#include "errors.h"
#include "exchange.h"
#include "hash.h"
#include "ids.h"
#include "input.h"
#include "field_limits.h"
#include "record_events.h"
#include "rules.h"

namespace liaison {
namespace {

using nlohmann::json;

Message suggestion(std::string_view word, const std::vector<std::string>& candidates, Message fallback) {
  if (auto m = did_you_mean(word, candidates)) return msg<Msg::did_you_mean>(*m);
  return fallback;
}

}  // namespace

void check_department(const Config& c, const std::string& id, std::string_view what) {
  if (!id.empty()) check_id(c, IdKind::department, id, what);
}
void check_user(const Config& c, const std::string& id, std::string_view what) {
  if (!id.empty()) check_id(c, IdKind::user, id, what);
}
void check_channel(const Config& c, const std::string& id, std::string_view what) {
  if (!id.empty()) check_id(c, IdKind::channel, id, what);
}
const Kind& check_kind(const Config& c, const std::string& id) {
  check_id(c, IdKind::kind, id);
  return *c.kind(id);
}
void check_party_type(const Config& c, const std::string& type) { check_id(c, IdKind::party_type, type); }

namespace {

Record load(Context& ctx, const std::string& ref) { return get_record(ctx.store, ref); }

/// StateError when `r` is a tombstone (liaison purge): its history takes no more entries.
void refuse_tombstone(const Context& ctx, const Record& r) {
  if (r.purged_at)
    throw StateError(msg<Msg::record_purged>(r.ref, ctx.calendar.format_iso(*r.purged_at)),
                     msg<Msg::file_new_record_instead>(r.ref));
}

/// The record, to add to its history: not a tombstone.
Record load_to_add(Context& ctx, const std::string& ref) {
  Record r = load(ctx, ref);
  refuse_tombstone(ctx, r);
  return r;
}

/// PermissionError unless the acting user may write at all (file, log, escalate, parties).
void require_write(const Context& ctx, const Message& what) { ctx.access().require_write(what); }

/// The record, once the acting user is known to be allowed to act on it (ack, route,
/// wait, resume, close, reopen). An unknown reference is reported first (exit 4): it
/// tells nothing about a record the user may not act on.
Record load_to_act(Context& ctx, const std::string& ref, const Message& what) {
  Record r = load(ctx, ref);
  ctx.access().require_act_on(r, what);
  refuse_tombstone(ctx, r);
  return r;
}

/// Checks the identity a filing gives against the kind's `identity` and requirements.
void check_identity(const Kind& kind, Direction direction, const Identity& id) {
  if (id.anonymous && id.given())
    throw UsageError(msg<Msg::anonymous_contradicts_contact_name_contact_position>(),
                     msg<Msg::give_either_anonymous_who_raised>());
  if (kind.identity == "none") {
    if (id.given() || id.anonymous)
      throw DataError(msg<Msg::takes_no_complainant_identity>(kind.id), msg<Msg::leave_out_contact_name_contact_position>());
    return;
  }
  const auto& required = direction == Direction::internal ? kind.requires_internal : kind.requires_external;
  bool must = kind.identity == "required" || std::find(required.begin(), required.end(), "identity") != required.end();
  if (!must) return;
  if (id.anonymous)
    throw DataError(msg<Msg::cannot_filed_anonymously>(kind.id), msg<Msg::give_who_raised_contact_name_contact>());
  if (id.name.empty())
    throw DataError(msg<Msg::complainant_s_name_required>(to_string(direction), kind.id),
                    msg<Msg::give_contact_name_contact_position_contact>());
}

/// The fields the rules look at, from a record and its party's type.
RuleInput rule_input(const Record& r, std::string party_type) {
  RuleInput input;
  input.direction = r.direction;
  input.kind = r.kind;
  input.party_type = std::move(party_type);
  input.party = r.party;
  input.channel = r.channel;
  input.level = r.level;
  input.from_dept = r.from_dept;
  input.flow = r.flow;
  input.major = r.major;
  return input;
}

/// The person in charge must belong to the owner department (when users are configured).
void check_member(const Config& c, const std::string& user, const std::string& dept) {
  if (user.empty() || c.users.empty()) return;
  const Department* d = c.department(dept);
  const User* u = c.user(user);
  if (!d || !u) return;
  bool belongs = u->department == d->id || d->head == u->id ||
                 std::find(d->members.begin(), d->members.end(), u->id) != d->members.end();
  if (!belongs)
    throw DataError(msg<Msg::not_which_owns_record>(user, d->id, d->name), msg<Msg::assign_member_or_route>(d->id, user));
}

void refuse_if_closed(const Record& r, std::string_view action) {
  if (r.status == Status::closed)
    throw StateError(msg<Msg::closed_cannot>(r.ref, action), msg<Msg::reopen_first_liaison_reopen_reason>(r.ref));
}

Clock* find_clock(Record& r, std::string_view name) {
  for (auto& c : r.clocks)
    if (c.name == name) return &c;
  return nullptr;
}

/// Time on a clock between two moments, in its own kind of time.
std::int64_t clock_time(const WorkCalendar& cal, const Clock& c, TimePoint from, TimePoint to) {
  if (to <= from) return 0;
  auto d = Duration::parse(c.duration);
  if (d && d->is_calendar()) return secs(to) - secs(from);
  return cal.working_seconds(from, to);
}

/// Stops a clock at `at`: records when and the time used net of pauses.
void stop_clock(const WorkCalendar& cal, Clock& c, TimePoint at) {
  if (c.stopped_at) return;
  if (c.paused_since) {
    c.paused_seconds += clock_time(cal, c, *c.paused_since, at);
    c.paused_since.reset();
  }
  c.stopped_at = at;
  c.used_seconds = std::max<std::int64_t>(0, clock_time(cal, c, c.started_at, at) - c.paused_seconds);
}

Clock start_clock(Context& ctx, std::string name, const Duration& d, TimePoint start) {
  Clock c;
  c.name = std::move(name);
  c.duration = d.text();
  c.started_at = start;
  c.due = ctx.calendar.add(start, d);
  check_deadline(c.name, *c.due);
  c.config_hash = ctx.config.hash;
  c.provisional = ctx.calendar.provisional(start, *c.due);
  return c;
}

/// Copies the ack and resolve clocks' deadlines onto the record, for listing.
void sync_dues(Record& r) {
  r.ack_due.reset();
  r.due.reset();
  for (const auto& c : r.clocks) {
    if (c.name == "ack") r.ack_due = c.due;
    if (c.name == "resolve") r.due = c.due;
  }
}

json clock_json(const WorkCalendar& cal, const Clock& c) {
  json j = {{"clock", c.name}, {"duration", c.duration}, {"started_at", cal.format_iso(c.started_at)}};
  j["due"] = c.due ? json(cal.format_iso(*c.due)) : json(nullptr);
  if (c.provisional) j["provisional"] = true;
  if (c.given) j["given"] = true;
  if (c.paused_since) j["paused_since"] = cal.format_iso(*c.paused_since);  // an approval waiting its turn
  return j;
}

/// The clock of the `number`th approval, held by `user`, from `start`: running with the
/// kind's approval_within when it is the approver's turn, else waiting (paused since
/// `start`, no deadline) until the one before approves (begin_turn).
Clock approval_clock(Context& ctx, const Kind* kind, int number, const std::string& user, TimePoint start,
                     bool turn) {
  const std::string name = approval_clock_name(number, user);
  Clock c;
  if (kind && kind->approval_within && turn) {
    c = start_clock(ctx, name, *kind->approval_within, start);
  } else {
    c.name = name;
    c.duration = kind && kind->approval_within ? kind->approval_within->text() : "";
    c.started_at = start;
    c.config_hash = ctx.config.hash;
  }
  if (!turn) c.paused_since = start;
  return c;
}

/// An approval's turn has come at now: the wait so far does not count, and its deadline
/// (if the kind sets approval_within) runs from now.
void begin_turn(Context& ctx, Clock& c) {
  if (c.paused_since) {
    c.paused_seconds += clock_time(ctx.calendar, c, *c.paused_since, ctx.now);
    c.paused_since.reset();
  }
  if (auto d = Duration::parse(c.duration)) {
    c.due = ctx.calendar.add(ctx.now, *d);
    check_deadline(c.name, *c.due);
    c.provisional = ctx.calendar.provisional(ctx.now, *c.due);
  }
}

}  // namespace

namespace {
/// Runs `check` over each id; its DataError becomes NotFoundError (exit 4), same words.
template <typename Check>
void check_filter(const std::vector<std::string>& ids, Check&& check) {
  for (const auto& id : ids) {
    try {
      check(id);
    } catch (const DataError& e) {
      throw NotFoundError(e.message(), e.hint_message());
    }
  }
}
}  // namespace

void check_filter_departments(const Config& config, const std::vector<std::string>& ids) {
  check_filter(ids, [&](const std::string& id) { check_department(config, id, "--dept"); });
}
void check_filter_kinds(const Config& config, const std::vector<std::string>& ids) {
  check_filter(ids, [&](const std::string& id) { check_kind(config, id); });
}
void check_filter_party_types(const Config& config, const std::vector<std::string>& ids) {
  check_filter(ids, [&](const std::string& id) { check_party_type(config, id); });
}
void check_filter_topics(const Config& config, const std::vector<std::string>& ids) {
  check_filter(ids, [&](const std::string& id) { check_id(config, IdKind::topic, id, "--topic"); });
}

void check_not_future(const Context& ctx) {
  const TimePoint clock = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (ctx.now > clock)
    throw StateError(msg<Msg::effective_time_in_future>(ctx.calendar.format_iso(ctx.now), ctx.calendar.format_iso(clock)),
                     msg<Msg::leave_out_now_or_past>());
}

namespace {

/// The write transaction of a command that records something at ctx.now: refused first
/// when that is later than the clock, before any deadline is computed from it.
std::unique_ptr<WriteTransaction> begin_write(Context& ctx) {
  check_not_future(ctx);
  return ctx.store.write();
}

/// Appends an event by the acting user, now; `r` is null for registry events.
Event append(Context& ctx, const Record* r, std::string type, const json& data) {
  Event e;
  if (r) {
    e.record_id = r->id;
    e.ref = r->ref;
    // A history reads forward: nothing is recorded on a record at a time (--now) before
    // its latest event, so a back-dated ack, close or resume cannot rewrite what happened.
    if (auto latest = r->id != 0 ? ctx.store.latest_event_at(r->id) : std::nullopt; latest && ctx.now < *latest)
      throw StateError(msg<Msg::before_latest_event>(r->ref, ctx.calendar.format_iso(ctx.now),
                                                      ctx.calendar.format_iso(*latest)),
                       msg<Msg::act_at_or_after_latest_event>());
  }
  check_not_future(ctx);
  e.type = std::move(type);
  e.actor = ctx.actor;
  e.at = ctx.now;
  // Nothing goes into the history that cannot come back out the same: every text is
  // UTF-8 and within its limit, checked here before anything of the command is written.
  check_event_data(data, ctx.config.limits);
  if (ctx.by.empty()) {
    e.data = data.dump(-1, ' ', false, json::error_handler_t::replace);
  } else {  // an admin acting for someone: the history names both
    json with_by = data;
    with_by["by"] = ctx.by;
    e.data = with_by.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return append_event(ctx.store, std::move(e));
}
Event append(Context& ctx, const Record& r, std::string type, const json& data) {
  return append(ctx, &r, std::move(type), data);
}

std::string require_text(const std::string& text, Message what, Message hint) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw DataError(msg<Msg::is_empty>(std::move(what)), std::move(hint));
  return text;
}

}  // namespace

Event append_record_event(Context& ctx, const Record& r, std::string type, const json& data) {
  return append(ctx, r, std::move(type), data);
}

const std::vector<std::string>& log_types() {
  static const std::vector<std::string> types{"note", "call", "email", "meeting", "reply", "action", "decision"};
  return types;
}

std::string format_reference(const std::string& pattern, int year, std::int64_t seq) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 6, "{year}") == 0) {
      out += std::to_string(year);
      i += 6;
    } else if (pattern.compare(i, 4, "{seq") == 0) {
      auto close = pattern.find('}', i);
      int width = 0;
      if (close != std::string::npos && pattern[i + 4] == ':') width = std::atoi(pattern.c_str() + i + 5);
      out += fmt::format("{:0{}}", seq, width);
      i = close == std::string::npos ? pattern.size() : close + 1;
    } else {
      out.push_back(pattern[i++]);
    }
  }
  return out;
}

std::string sequence_name(const std::string& pattern, int year) {
  // The sequence is everything the pattern renders except the number itself.
  auto pos = pattern.find("{seq");
  auto close = pattern.find('}', pos);
  std::string without = pattern.substr(0, pos) + (close == std::string::npos ? "" : pattern.substr(close + 1));
  return format_reference(without, year, 0);
}

Record get_record(Store& store, const std::string& ref) {
  if (auto r = store.find_record(ref)) return *r;
  throw NotFoundError(msg<Msg::no_record>(ref), msg<Msg::check_reference_liaison_list_status_all>());
}

std::string identity_digest(const Identity& i) {
  // Each field on its own line after the salt: no two identities share an input.
  return sha256_hex(fmt::format("{}\n{}\n{}\n{}\n{}\n{}", i.salt, i.anonymous ? 1 : 0, i.name, i.position,
                                i.organization, i.phone));
}

Direction filing_direction(const FileRequest& req, const std::string& party_type) {
  return req.direction.value_or(req.party.empty() && party_type.empty() ? Direction::internal : Direction::external);
}

RuleInput routing_input(const Config& config, const FileRequest& req, const std::string& party_type) {
  RuleInput input;
  input.direction = filing_direction(req, party_type);
  input.kind = req.kind;
  input.party_type = party_type;
  input.party = req.party;
  input.channel = req.channel;
  input.level = req.level.empty() ? config.levels.default_level : req.level;
  input.from_dept = req.from_dept;
  input.flow = req.flow;
  input.major = req.major;
  return input;
}

RoutingDecision decide_routing(const Config& config, const FileRequest& req, const std::string& party_type) {
  return apply_rules(config, routing_input(config, req, party_type));
}

namespace {

/// The most users one filing may ask to sign: each is a clock in the `filed` event.
constexpr std::size_t kMaxRecipients = 500;

/// Who must sign for a record at `level` that `file --recipient` names: users as given,
/// departments as their head, members and users filed under them, in that order, once
/// each. A named user who may not read the level or may not write is an error; such a
/// department member is left out and listed in `skipped`.
std::vector<std::string> expand_recipients(const Config& cfg, const Kind& kind, const std::string& level,
                                           const std::vector<std::string>& given, std::vector<std::string>& skipped) {
  if (given.empty()) return {};
  if (!kind.receipt)
    throw DataError(msg<Msg::kind_takes_no_recipients>(kind.id), msg<Msg::set_kind_receipt>());
  std::vector<std::string> users;
  auto may_sign = [&](const std::string& user) {
    Access a(cfg, user);
    return a.may_write() && a.may_read(level);
  };
  auto add = [&](const std::string& user) {
    if (std::find(users.begin(), users.end(), user) == users.end()) users.push_back(user);
  };
  for (const std::string& id : given) {
    if (const User* u = cfg.user(id)) {
      if (!may_sign(u->id)) throw DataError(msg<Msg::recipient_may_not_sign>(u->id, level), msg<Msg::name_recipients_who_may>());
      add(u->id);
    } else if (const Department* d = cfg.department(id)) {
      std::vector<std::string> members;
      if (!d->head.empty()) members.push_back(d->head);
      members.insert(members.end(), d->members.begin(), d->members.end());
      for (const User& other : cfg.users)
        if (other.department == d->id) members.push_back(other.id);
      if (members.empty()) throw DataError(msg<Msg::department_has_no_members>(d->id), msg<Msg::name_recipients_who_may>());
      for (const std::string& m : members) {
        if (may_sign(m)) add(m);
        else if (std::find(skipped.begin(), skipped.end(), m) == skipped.end()) skipped.push_back(m);
      }
    } else {
      auto candidates = ids_of(cfg.departments);
      for (const User& other : cfg.users) candidates.push_back(other.id);
      throw DataError(msg<Msg::unknown_department_user>(id, "--recipient"),
                      suggestion(id, candidates, msg<Msg::see_config_show>()));
    }
  }
  std::erase_if(skipped, [&](const std::string& m) { return std::find(users.begin(), users.end(), m) != users.end(); });
  if (users.empty()) throw DataError(msg<Msg::no_recipient_may_sign>(level), msg<Msg::name_recipients_who_may>());
  if (users.size() > kMaxRecipients)
    throw DataError(msg<Msg::too_many_recipients>(users.size(), kMaxRecipients), msg<Msg::file_one_per_department>());
  return users;
}

/// The users an approval chain names for a record owned by `owner` at `level`: "head" the
/// owner department's head, "top" top management's head, a department its head, a user
/// themself; each once, in order. DataError when a step names nobody, or someone who may
/// not read the record or may not write.
std::vector<std::string> resolve_approvers(const Config& cfg, const std::vector<std::string>& chain,
                                           const std::string& owner, const std::string& level, const std::string& filer) {
  std::vector<std::string> users;
  for (const std::string& step : chain) {
    const std::string dept = step == "head" ? owner : step == "top" ? cfg.organization.top : step;
    const Department* d = cfg.department(dept);
    const std::string user = d ? d->head : cfg.user(step) ? step : "";
    if (user.empty())
      throw DataError(msg<Msg::approval_names_nobody>(step, dept), msg<Msg::give_department_head>(dept));
    Access a(cfg, user);
    if (!a.may_write() || !a.may_read(level))
      throw DataError(msg<Msg::approver_may_not>(user, level), msg<Msg::change_approval_chain>());
    // No one approves their own filing: the next step's approver does.
    if (user != filer && std::find(users.begin(), users.end(), user) == users.end()) users.push_back(user);
  }
  return users;
}

}  // namespace

FileResult file_record(Context& ctx, const FileRequest& req) {
  const Config& cfg = ctx.config;
  require_write(ctx, msg<Msg::action_file>());
  check_not_future(ctx);  // before the deadlines are computed from ctx.now
  const Kind& kind = check_kind(cfg, req.kind);
  Record r;
  r.kind = kind.id;
  r.subject = require_text(req.subject, msg<Msg::the_subject>(), msg<Msg::give_subject_text>());
  r.body = req.body;
  check_attachments(cfg, req.attachments);
  r.flow = req.flow;
  r.direction = filing_direction(req, "");
  if (r.direction == Direction::external && r.flow != Flow::none)
    throw DataError(msg<Msg::flow_internal_only>(), msg<Msg::leave_out_flow>());

  std::string party_type;
  if (!req.party.empty()) {
    auto party = ctx.store.find_party(req.party);
    if (!party)
      throw NotFoundError(msg<Msg::no_party>(req.party), msg<Msg::register_first_liaison_party_add_see>());
    r.party = party->id;
    party_type = party->type;
  }
  check_channel(cfg, req.channel, "--channel");
  r.channel = req.channel;
  check_department(cfg, req.from_dept, "--from");
  r.from_dept = req.from_dept;
  check_department(cfg, req.owner, "--to");
  check_user(cfg, req.assignee, "--assignee");
  r.level = req.level.empty() ? cfg.levels.default_level : req.level;
  check_id(cfg, IdKind::level, r.level);

  const auto& required = r.direction == Direction::internal ? kind.requires_internal : kind.requires_external;
  for (const auto& field : required) {
    bool missing = (field == "party" && r.party.empty()) || (field == "channel" && r.channel.empty()) ||
                   (field == "body" && r.body.empty()) || (field == "from_dept" && r.from_dept.empty()) ||
                   (field == "assignee" && req.assignee.empty()) || (field == "flow" && r.flow == Flow::none) ||
                   (field == "level" && req.level.empty()) || (field == "topic" && req.topic.empty()) ||
                   (field == "customer_ref" && req.customer_ref.empty());
    if (missing)
      throw DataError(msg<Msg::direction_kind_needs>(to_string(r.direction), kind.id, field),
                      msg<Msg::give_flag>(field == "from_dept" ? "from" : field == "customer_ref" ? "customer-ref" : field));
  }
  check_identity(kind, r.direction, req.identity);
  if (!req.topic.empty()) check_id(cfg, IdKind::topic, req.topic, "--topic");
  r.topic = req.topic;
  check_text(msg<Msg::the_field>("customer_ref"), req.customer_ref, limits::kId);
  r.customer_ref = req.customer_ref;
  check_text(msg<Msg::the_field>("8d"), req.eight_d, limits::kId);
  r.eight_d = req.eight_d;
  check_text(msg<Msg::the_field>("their_ref"), req.their_ref, limits::kId);
  r.their_ref = req.their_ref;
  check_text(msg<Msg::the_field>("obligation"), req.compliance_obligation, cfg.limits.text);
  r.compliance_obligation = req.compliance_obligation;
  for (const auto& [field, text] : {std::pair{"identity name", &req.identity.name},
                                    {"identity position", &req.identity.position},
                                    {"identity organization", &req.identity.organization},
                                    {"identity phone", &req.identity.phone}})
    check_text(msg<Msg::the_field>(field), *text, limits::kId);
  Identity identity = req.identity;
  const bool has_identity = identity.given() || identity.anonymous;
  if (has_identity) identity.salt = random_hex(16);

  for (const std::string& user : req.attendees) check_user(cfg, user, "--attendee");
  for (const std::string& user : req.absent) {
    check_user(cfg, user, "--absent");
    if (std::find(req.attendees.begin(), req.attendees.end(), user) != req.attendees.end())
      throw DataError(msg<Msg::attendee_and_absent>(user), msg<Msg::name_once>());
  }
  if (req.attendees.size() + req.absent.size() > kMaxRecipients)
    throw DataError(msg<Msg::too_many_attendees>(kMaxRecipients), msg<Msg::name_fewer>());
  std::string follow_up;
  if (!req.follow_up.empty()) {
    // The earlier meeting: one the acting user may read, since its actions are shown here.
    const Record earlier = load(ctx, req.follow_up);
    if (!ctx.access().may_read(earlier.level))
      throw PermissionError(msg<Msg::may_not_follow_up_above_clearance>(ctx.actor, earlier.ref),
                            msg<Msg::ask_someone_cleared_for>(earlier.level));
    follow_up = earlier.ref;
  }

  r.major = req.major;
  RoutingDecision decision = decide_routing(cfg, req, party_type);
  r.owner = req.owner.empty() ? decision.owner : req.owner;
  if (r.owner.empty())
    throw DataError(msg<Msg::no_rule_routes_this_record_department>(), msg<Msg::give_dept_add_rule_that_matches>());
  // The rule's assignee goes with the rule's owner, not with an owner given by --to.
  r.assignee = !req.assignee.empty() ? req.assignee : r.owner == decision.owner ? decision.assignee : "";
  check_member(cfg, r.assignee, r.owner);
  r.rule = req.owner.empty() ? decision.rule_name : "";
  r.notify = decision.notify;
  r.major = req.major || decision.major;
  std::string escalate = decision.escalate;
  if (r.major && escalate.empty()) escalate = cfg.organization.top;

  r.received_at = req.received_at.value_or(ctx.now);
  if (r.received_at > ctx.now)
    throw DataError(msg<Msg::receipt_time_future>(ctx.calendar.format_iso(r.received_at)),
                    msg<Msg::give_received_time_at_before_now>());
  r.created_at = ctx.now;
  r.created_by = ctx.actor;
  r.status = Status::open;
  if (auto d = kind.ack.get(r.direction)) r.clocks.push_back(start_clock(ctx, "ack", *d, r.received_at));
  if (req.due_at || req.due_within) {
    // The sender's deadline, in place of the kind's (a letter's 限期答复).
    Clock c;
    if (req.due_within) {
      c = start_clock(ctx, "resolve", *req.due_within, r.received_at);
    } else {
      check_deadline("resolve", *req.due_at);
      c.name = "resolve";
      c.started_at = r.received_at;
      c.due = *req.due_at;
      c.config_hash = cfg.hash;
      c.provisional = ctx.calendar.provisional(r.received_at, *c.due);
    }
    if (*c.due <= r.received_at)  // "0h" too
      throw DataError(msg<Msg::due_before_received>(ctx.calendar.format_iso(*c.due), ctx.calendar.format_iso(r.received_at)),
                      msg<Msg::give_due_after_receipt>());
    c.given = true;
    r.clocks.push_back(std::move(c));
  } else if (auto d = kind.resolve.get(r.direction)) {
    r.clocks.push_back(start_clock(ctx, "resolve", *d, r.received_at));
  }
  // What the kind owes outside parties (an accident report within the hour), after ack
  // and resolve: the report's and the resolve cycles' readings look for those first.
  for (const NotifyDuty& duty : kind.notify)
    r.clocks.push_back(start_clock(ctx, notify_clock_name(duty.to), duty.within, r.received_at));
  // Each recipient's receipt (签收), named by the user who must sign.
  std::vector<std::string> skipped;
  for (const std::string& user : expand_recipients(cfg, kind, r.level, req.recipients, skipped))
    r.clocks.push_back(start_clock(ctx, receipt_clock_name(user), *kind.receipt, r.received_at));
  // The approvals its rule (or else its kind) asks before it may be closed, in order; the
  // first approver's turn from receipt.
  int number = 0;
  for (const std::string& user :
       resolve_approvers(cfg, decision.approval.empty() ? kind.approval : decision.approval, r.owner, r.level,
                         ctx.actor)) {
    ++number;
    r.clocks.push_back(approval_clock(ctx, &kind, number, user, r.received_at, number == 1));
  }
  sync_dues(r);

  auto tx = begin_write(ctx);
  // Once per period, however often schedule run runs: asked inside the write
  // transaction, so two runs at once cannot both file it.
  if (!req.schedule_id.empty())
    if (auto earlier = ctx.store.scheduled_record(req.schedule_id, req.schedule_period)) {
      FileResult before{get_record(ctx.store, *earlier), ""};
      before.filed_before = true;
      return before;
    }
  int year = static_cast<int>(date::year_month_day{ctx.calendar.local_date(r.received_at)}.year());
  const std::string& pattern = r.direction == Direction::internal ? cfg.numbering.internal : cfg.numbering.external;
  r.ref = format_reference(pattern, year, ctx.store.next_sequence(sequence_name(pattern, year)));
  if (!escalate.empty()) r.escalated_to = escalate;
  r.id = ctx.store.insert_record(r);
  if (has_identity) ctx.store.insert_identity(r.id, identity);

  json clocks = json::array();
  for (const auto& c : r.clocks) clocks.push_back(clock_json(ctx.calendar, c));
  json filed = {{"kind", r.kind},         {"direction", to_string(r.direction)},
                {"subject", r.subject},   {"body", r.body},
                {"channel", r.channel},   {"party", r.party},
                {"from_dept", r.from_dept}, {"owner", r.owner},
                {"assignee", r.assignee}, {"level", r.level},
                {"major", r.major},       {"rule", r.rule},
                {"notify", r.notify},     {"received_at", ctx.calendar.format_iso(r.received_at)},
                {"clocks", clocks},       {"config_hash", cfg.hash}};
  if (r.flow != Flow::none) filed["flow"] = to_string(r.flow);
  // Only when given, so a filing without them writes the data it always wrote.
  if (!r.topic.empty()) filed["topic"] = r.topic;
  if (!r.customer_ref.empty()) filed["customer_ref"] = r.customer_ref;
  if (!r.eight_d.empty()) filed["eight_d"] = r.eight_d;
  if (!r.their_ref.empty()) filed["their_ref"] = r.their_ref;
  if (!r.compliance_obligation.empty()) filed["compliance_obligation"] = r.compliance_obligation;
  // As given: which users a department meant is in the clocks.
  if (!req.recipients.empty()) filed["recipients"] = req.recipients;
  if (!req.attendees.empty()) filed["attendees"] = req.attendees;
  if (!req.absent.empty()) filed["absent"] = req.absent;
  if (!follow_up.empty()) filed["follow_up"] = follow_up;
  if (!req.schedule_id.empty()) filed["schedule"] = {{"id", req.schedule_id}, {"period", req.schedule_period}};
  // Whether someone is named, never who (events are readable by all cleared for the record).
  if (has_identity) {
    filed["identity"] = identity.anonymous ? "anonymous" : "protected";
    filed["identity_digest"] = identity_digest(identity);
  }
  PendingAttachments attached = prepare_attachments(ctx.store, r.id, req.attachments);
  if (!attached.rows.empty()) filed["attachments"] = attached.data();
  if (!req.message_sha256.empty()) filed["message_sha256"] = req.message_sha256;
  Event filed_event = append(ctx, r, "filed", filed);
  store_attachments(ctx.store, attached, filed_event.id);
  if (!escalate.empty())
    append(ctx, r, "escalated",
           {{"to", escalate}, {"reason", r.major ? "major matter (重大事项)" : "rule " + decision.escalate_rule_name}});
  tx->commit();
  return {r, r.rule, std::move(skipped)};
}

Event log_record(Context& ctx, const LogRequest& req) {
  if (std::find(log_types().begin(), log_types().end(), req.type) == log_types().end())
    throw UsageError(msg<Msg::unknown_entry_type>(req.type),
                     suggestion(req.type, log_types(), msg<Msg::use_one_of_entry_types>()));
  require_write(ctx, msg<Msg::action_log>());
  require_text(req.text, msg<Msg::the_text_to_log>(), msg<Msg::give_text_argument_or_stdin>());
  check_channel(ctx.config, req.channel, "--channel");
  check_attachments(ctx.config, req.attachments);
  auto tx = begin_write(ctx);
  Record r = load_to_add(ctx, req.ref);
  json data = {{"entry", req.type}, {"text", req.text}};
  if (!req.channel.empty()) data["channel"] = req.channel;
  if (!req.message_sha256.empty()) data["message_sha256"] = req.message_sha256;
  if (!req.party.empty()) {
    if (!ctx.store.find_party(req.party))
      throw NotFoundError(msg<Msg::no_party>(req.party), msg<Msg::register_first_liaison_party_add_see>());
    data["party"] = req.party;
  }
  PendingAttachments attached = prepare_attachments(ctx.store, r.id, req.attachments);
  if (!attached.rows.empty()) data["attachments"] = attached.data();
  Event e = append(ctx, r, "logged", data);
  store_attachments(ctx.store, attached, e.id);
  tx->commit();
  return e;
}

Record route_record(Context& ctx, const RouteRequest& req) {
  if (req.automatic == !req.to.empty() && req.assignee.empty())
    throw UsageError(msg<Msg::give_either_to_or_auto>(), msg<Msg::see_route_help>());
  check_department(ctx.config, req.to, "--to");
  check_user(ctx.config, req.assignee, "--assignee");
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, req.ref, msg<Msg::action_route>());
  refuse_if_closed(r, "routed");
  json data = {{"from", r.owner}, {"reason", req.reason}};
  std::string owner = r.owner;
  std::string assignee = r.assignee;
  if (req.automatic) {
    std::string party_type;
    if (!r.party.empty())
      if (auto p = ctx.store.find_party(r.party)) party_type = p->type;  // the type it has now
    auto decision = apply_rules(ctx.config, rule_input(r, party_type));
    if (decision.owner.empty())
      throw DataError(msg<Msg::no_rule_routes_any_more>(r.ref), msg<Msg::give_to_dept>());
    owner = decision.owner;
    // The rule's assignee goes with its owner; staying put keeps the person in charge.
    if (owner != r.owner || !decision.assignee.empty()) assignee = decision.assignee;
    data["rule"] = decision.rule_name;
  } else if (!req.to.empty() && req.to != r.owner) {
    owner = req.to;
    assignee.clear();  // a person of the old owner department
  }
  if (!req.assignee.empty()) assignee = req.assignee;
  check_member(ctx.config, assignee, owner);
  if (owner == r.owner && assignee == r.assignee)
    throw StateError(msg<Msg::already_with>(r.ref, assignee.empty() ? owner : owner + "/" + assignee),
                     msg<Msg::nothing_change>());
  r.owner = owner;
  r.assignee = assignee;
  data["to"] = r.owner;
  data["assignee"] = r.assignee;
  ctx.store.update_record(r);
  append(ctx, r, "routed", data);
  tx->commit();
  return r;
}

Record acknowledge_record(Context& ctx, const std::string& ref, const std::string& note) {
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, ref, msg<Msg::action_acknowledge>());
  refuse_if_closed(r, "acknowledged");
  if (r.acked_at)
    throw StateError(msg<Msg::was_already_acknowledged_at>(r.ref, ctx.calendar.format_iso(*r.acked_at)),
                     msg<Msg::nothing_do>());
  r.acked_at = ctx.now;
  if (r.status == Status::open) r.status = Status::acknowledged;
  json data = {{"note", note}};
  if (Clock* c = find_clock(r, "ack")) {
    stop_clock(ctx.calendar, *c, ctx.now);
    data["used_seconds"] = *c->used_seconds;
    if (c->due) data["on_time"] = ctx.now <= *c->due;
  }
  ctx.store.update_record(r);
  append(ctx, r, "acknowledged", data);
  tx->commit();
  return r;
}

Record escalate_record(Context& ctx, const EscalateRequest& req) {
  require_write(ctx, msg<Msg::action_escalate>());
  std::string to = req.to.empty() ? ctx.config.organization.top : req.to;
  if (to.empty()) throw UsageError(msg<Msg::nowhere_to_escalate>(), msg<Msg::give_to_or_set_top>());
  if (!ctx.config.department(to) && !ctx.config.user(to)) {
    auto candidates = ids_of(ctx.config.departments);
    for (const auto& u : ctx.config.users) candidates.push_back(u.id);
    throw DataError(msg<Msg::unknown_department_user>(to, "--to"), suggestion(to, candidates, msg<Msg::see_config_show>()));
  }
  require_text(req.reason, msg<Msg::the_reason>(), msg<Msg::give_reason_text>());
  auto tx = begin_write(ctx);
  Record r = load(ctx, req.ref);
  refuse_if_closed(r, "escalated");
  r.escalated_to = to;
  json data = {{"to", to}, {"reason", req.reason}};
  if (req.skip_level) data["skip_level"] = to_string(*req.skip_level);
  ctx.store.update_record(r);
  append(ctx, r, "escalated", data);
  tx->commit();
  return r;
}

Record wait_record(Context& ctx, const std::string& ref, const std::string& reason) {
  require_text(reason, msg<Msg::the_reason>(), msg<Msg::give_reason_waits_on>());
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, ref, msg<Msg::action_pause>());
  refuse_if_closed(r, "paused");
  if (r.status == Status::waiting)
    throw StateError(msg<Msg::already_waiting>(r.ref), msg<Msg::resume_liaison_resume>(r.ref));
  r.status = Status::waiting;
  if (Clock* c = find_clock(r, "resolve")) c->paused_since = ctx.now;
  ctx.store.update_record(r);
  append(ctx, r, "waiting", {{"reason", reason}});
  tx->commit();
  return r;
}

std::optional<LegalHold> legal_hold(Store& store, std::int64_t record_id) {
  return legal_hold(store.events_for(record_id));
}

std::optional<LegalHold> legal_hold(const std::vector<Event>& history) {
  std::optional<LegalHold> hold;
  for (const auto& e : history) {
    if (e.type == "released") hold.reset();
    if (e.type != "held") continue;
    auto data = json::parse(e.data, nullptr, false);
    hold = LegalHold{e.at, e.actor, data.is_object() ? data.value("reason", std::string()) : std::string()};
  }
  return hold;
}

namespace {

/// hold_record and release_record: the same checks, the other event.
Record change_hold(Context& ctx, const std::string& ref, const std::string& reason, bool place) {
  ctx.access().require_hold();
  require_text(reason, msg<Msg::the_reason>(), place ? msg<Msg::give_reason_for_hold>() : msg<Msg::give_reason_for_release>());
  auto tx = begin_write(ctx);
  Record r = load(ctx, ref);
  auto hold = legal_hold(ctx.store, r.id);
  if (place && hold)
    throw StateError(msg<Msg::already_held>(r.ref, ctx.calendar.format_iso(hold->since), hold->by),
                     msg<Msg::release_with_liaison_release>(r.ref));
  if (!place && !hold) throw StateError(msg<Msg::not_held>(r.ref), msg<Msg::hold_with_liaison_hold>(r.ref));
  append(ctx, r, place ? "held" : "released", {{"reason", reason}});
  tx->commit();
  return r;
}

}  // namespace

Record hold_record(Context& ctx, const std::string& ref, const std::string& reason) {
  return change_hold(ctx, ref, reason, true);
}

Record release_record(Context& ctx, const std::string& ref, const std::string& reason) {
  return change_hold(ctx, ref, reason, false);
}

Record resume_record(Context& ctx, const std::string& ref, const std::string& note) {
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, ref, msg<Msg::action_resume>());
  if (r.status != Status::waiting)
    throw StateError(msg<Msg::not_waiting>(r.ref), msg<Msg::only_record_paused_liaison_wait_can>());
  r.status = r.acked_at ? Status::acknowledged : Status::open;
  json data = {{"note", note}};
  if (Clock* c = find_clock(r, "resolve"); c && c->paused_since) {
    TimePoint since = *c->paused_since;
    std::int64_t paused = clock_time(ctx.calendar, *c, since, ctx.now);
    c->paused_seconds += paused;
    c->paused_since.reset();
    data["paused_seconds"] = paused;
    // A moment the sender fixed (file --due 2026-10-20) stays where it is.
    const bool fixed = c->given && c->duration.empty();
    if (c->due && *c->due > since && !fixed) {
      // The time that was left when the clock stopped is still left now.
      auto d = Duration::parse(c->duration);
      if (d && d->is_calendar()) {
        c->due = *c->due + std::chrono::seconds{paused};
      } else {
        std::int64_t remaining = ctx.calendar.working_seconds(since, *c->due);
        c->due = ctx.calendar.add_working_seconds(ctx.now, remaining);
      }
      check_deadline(c->name, *c->due);
      c->provisional = ctx.calendar.provisional(c->started_at, *c->due);
      data["due"] = ctx.calendar.format_iso(*c->due);
    }
  }
  sync_dues(r);
  ctx.store.update_record(r);
  append(ctx, r, "resumed", data);
  tx->commit();
  return r;
}

namespace {
/// Refuses (exit 5) closing `r` as rejected until each approver of its kind's
/// `explanation_approval`, resolved now, has approved: the explanation owed to the
/// proposer goes out approved. The closer approves nothing of their own.
void require_explanation_approved(Context& ctx, const Record& r, const Kind& kind) {
  const std::vector<ApprovalStep> steps = approval_steps(ctx.store, r);
  for (const std::string& user : resolve_approvers(ctx.config, kind.explanation_approval, r.owner, r.level, ctx.actor)) {
    // Their approval asked for the explanation, since the latest reopening: one given for
    // the matter, or for an earlier explanation, does not approve this one.
    auto step = std::find_if(steps.begin(), steps.end(), [&](const ApprovalStep& s) {
      return s.approver == user && s.explanation && !s.before_reopening;
    });
    if (step == steps.end())
      throw StateError(msg<Msg::explanation_not_approved>(r.ref, user), msg<Msg::ask_explanation_approval>(r.ref, user));
    if (step->state == ApprovalState::rejected)
      throw StateError(msg<Msg::approval_rejected_by>(r.ref, user), msg<Msg::ask_again_explanation>(r.ref, user));
    if (step->state != ApprovalState::approved)
      throw StateError(msg<Msg::approval_outstanding>(r.ref, user), msg<Msg::approver_decides_explanation>(user, r.ref));
  }
}
}  // namespace

Record close_record(Context& ctx, const CloseRequest& req) {
  require_text(req.resolution, msg<Msg::the_resolution>(), msg<Msg::give_resolution_text>());
  Outcome outcome = req.outcome.value_or(Outcome::resolved);
  check_channel(ctx.config, req.reply_via, "--reply-via");
  check_text(msg<Msg::the_field>("8d"), req.eight_d, limits::kId);
  if (outcome == Outcome::rejected)
    require_text(req.explanation, msg<Msg::the_explanation_owed>(), msg<Msg::rejected_needs_explanation>());
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, req.ref, msg<Msg::action_close>());
  if (r.status == Status::closed)
    throw StateError(msg<Msg::already_closed>(r.ref), msg<Msg::reopen_liaison_reopen_reason_if_needs>(r.ref));
  for (const Clock& c : r.clocks)
    if (std::string party = notified_party(c.name); !party.empty() && !c.stopped_at)
      throw StateError(msg<Msg::notification_outstanding>(r.ref, party, c.due ? ctx.calendar.format_iso(*c.due) : ""),
                       msg<Msg::record_it_notify>(r.ref, party));
  // What was turned down, withdrawn or is a duplicate is closed without the approvals a
  // matter carried out needs.
  const bool carried_out = outcome != Outcome::rejected && outcome != Outcome::withdrawn && outcome != Outcome::duplicate;
  for (const ApprovalStep& step : carried_out ? approval_steps(ctx.store, r) : std::vector<ApprovalStep>{})
    if (!step.explanation && step.state != ApprovalState::approved)
      throw StateError(step.state == ApprovalState::rejected ? msg<Msg::approval_rejected_by>(r.ref, step.approver)
                                                             : msg<Msg::approval_outstanding>(r.ref, step.approver),
                       step.state == ApprovalState::rejected ? msg<Msg::ask_again_approve_request>(r.ref, step.approver)
                                                             : msg<Msg::approver_approves_with>(step.approver, r.ref));
  const Kind* kind = ctx.config.kind(r.kind);
  if (kind && outcome == Outcome::rejected && !kind->explanation_approval.empty())
    require_explanation_approved(ctx, r, *kind);
  if (kind && kind->reply_required && req.reply_via.empty())
    throw DataError(msg<Msg::needs_reply_sent_before_closing>(r.kind), msg<Msg::give_reply_via_channel_how_reply>());
  r.status = Status::closed;
  r.outcome = outcome;
  r.resolution = req.resolution;
  r.reply_via = req.reply_via;
  r.capa = req.capa;
  r.closed_at = ctx.now;
  json data = {{"outcome", to_string(outcome)}, {"resolution", req.resolution}, {"reply_via", req.reply_via},
               {"capa", req.capa}};
  if (!req.eight_d.empty()) {
    r.eight_d = req.eight_d;
    data["eight_d"] = req.eight_d;
  }
  if (!req.explanation.empty()) data["explanation"] = req.explanation;
  for (auto& c : r.clocks) {
    // A recipient who has not signed, an action's owner, still owe it (owed_past_close).
    if (owed_past_close(c.name)) continue;
    stop_clock(ctx.calendar, c, ctx.now);
    data["clocks"][c.name] = {{"used_seconds", c.used_seconds ? json(*c.used_seconds) : json(nullptr)},
                              {"on_time", c.due ? json(*c.stopped_at <= *c.due) : json(nullptr)}};
  }
  ctx.store.update_record(r);
  append(ctx, r, "closed", data);
  tx->commit();
  return r;
}

namespace {
/// What follows `prefix` in a clock's name; "" when the name does not begin with it.
std::string after_prefix(std::string_view clock, std::string_view prefix) {
  return clock.substr(0, prefix.size()) == prefix ? std::string(clock.substr(prefix.size())) : std::string();
}
}  // namespace

std::string notify_clock_name(const std::string& party) { return "notify:" + party; }

std::string notified_party(std::string_view clock) { return after_prefix(clock, "notify:"); }

std::string receipt_clock_name(const std::string& user) { return "receipt:" + user; }

std::string receipt_holder(std::string_view clock) { return after_prefix(clock, "receipt:"); }

std::optional<Record> sign_receipt(Context& ctx, const std::string& ref, const std::string& note) {
  auto tx = begin_write(ctx);
  Record r = load(ctx, ref);
  Clock* c = find_clock(r, receipt_clock_name(ctx.actor));
  if (!c || ctx.config.users.empty()) return std::nullopt;
  // The holder is the acting user, established as liaison(1) IDENTITY says; a user who
  // may no longer write (an auditor now) or read the record's level signs nothing.
  require_write(ctx, msg<Msg::action_sign>());
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_sign_above_clearance>(ctx.actor, r.ref),
                          msg<Msg::ask_someone_cleared_for>(r.level));
  refuse_tombstone(ctx, r);
  if (c->stopped_at) {
    // Signed already: one who may act on it acknowledges the record itself next.
    if (!r.acked_at && r.status != Status::closed && ctx.access().may_act_on(r.owner)) return std::nullopt;
    throw StateError(msg<Msg::already_signed>(r.ref, ctx.actor, ctx.calendar.format_iso(*c->stopped_at)),
                     msg<Msg::nothing_do>());
  }
  stop_clock(ctx.calendar, *c, ctx.now);
  json data = {{"clock", c->name}, {"used_seconds", *c->used_seconds},
               {"on_time", c->due ? json(*c->stopped_at <= *c->due) : json(nullptr)}};
  if (!note.empty()) data["note"] = note;
  ctx.store.update_record(r);
  append(ctx, r, "signed", data);
  tx->commit();
  return r;
}

std::string approval_clock_name(int number, const std::string& user) {
  return fmt::format("approval:{}:{}", number, user);
}

namespace {
/// The number of a clock named "<prefix><n>:<user>"; 0 when it is not so named.
int numbered(std::string_view clock, std::string_view prefix) {
  if (clock.substr(0, prefix.size()) != prefix) return 0;
  clock.remove_prefix(prefix.size());
  int n = 0;
  auto [end, ec] = std::from_chars(clock.data(), clock.data() + clock.size(), n);
  return ec == std::errc() && end < clock.data() + clock.size() && *end == ':' && n > 0 ? n : 0;
}

/// The user of a clock named "<prefix><n>:<user>"; "" when it is not so named.
std::string numbered_holder(std::string_view clock, std::string_view prefix) {
  if (!numbered(clock, prefix)) return "";
  clock.remove_prefix(prefix.size());
  return std::string(clock.substr(clock.find(':') + 1));
}
}  // namespace

int approval_number(std::string_view clock) { return numbered(clock, "approval:"); }

std::string approval_holder(std::string_view clock) { return numbered_holder(clock, "approval:"); }

namespace {
/// The clock an obligation's event names in its data's "clock": a name (approved,
/// rejected, action-done …) or a clock object (approval-requested, action-added); ""
/// when it names none.
std::string named_clock(const json& data) {
  if (!data.is_object() || !data.contains("clock")) return "";
  const json& clock = data["clock"];
  const json& named = clock.is_object() && clock.contains("clock") ? clock["clock"] : clock;
  return named.is_string() ? named.get<std::string>() : "";
}
}  // namespace

std::vector<ApprovalStep> approval_steps(Store& store, const Record& r) {
  std::vector<ApprovalStep> steps;
  for (const Clock& c : r.clocks)
    if (int n = approval_number(c.name))
      // A stopped one without a decision in the history came in by an import of the state.
      steps.push_back({c, approval_holder(c.name), n, c.stopped_at ? ApprovalState::approved : ApprovalState::pending});
  if (steps.empty()) return steps;
  std::sort(steps.begin(), steps.end(), [](const ApprovalStep& a, const ApprovalStep& b) { return a.number < b.number; });
  for (const Event& e : store.events_for(r.id)) {
    if (e.type == "reopened")
      for (ApprovalStep& s : steps) s.before_reopening = s.state != ApprovalState::pending;
    if (e.type != "approved" && e.type != "rejected" && e.type != "approval-requested") continue;
    const json data = json::parse(e.data, nullptr, false);
    const std::string name = named_clock(data);
    for (ApprovalStep& s : steps)
      if (s.clock.name == name) {
        s.state = e.type == "approved"   ? ApprovalState::approved
                  : e.type == "rejected" ? ApprovalState::rejected
                                         : ApprovalState::pending;
        s.before_reopening = false;
        if (e.type == "approval-requested")
          s.explanation = data.contains("purpose") && data["purpose"] == "explanation";
      }
  }
  for (ApprovalStep& s : steps) {
    if (s.explanation || s.state == ApprovalState::approved) continue;
    s.current = s.state == ApprovalState::pending;
    break;
  }
  for (ApprovalStep& s : steps)
    if (s.explanation) s.current = s.state == ApprovalState::pending;
  return steps;
}

Record decide_approval(Context& ctx, const std::string& ref, bool approve, const std::string& text,
                       bool explanation) {
  if (!approve) require_text(text, msg<Msg::the_reason>(), msg<Msg::give_reason_for_rejection>());
  auto tx = begin_write(ctx);
  Record r = load(ctx, ref);
  // Who may not write or read it learns nothing of its approvals.
  require_write(ctx, approve ? msg<Msg::action_approve>() : msg<Msg::action_reject>());
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_decide_above_clearance>(ctx.actor, r.ref),
                          msg<Msg::ask_someone_cleared_for>(r.level));
  std::vector<ApprovalStep> steps = approval_steps(ctx.store, r);
  // The actor's steps of the kind asked (the matter's, or with --explanation the
  // explanation's), or, having none of that kind, any of theirs: the one whose turn it is;
  // else the first not approved (one listed twice, by an import, has two); else any.
  const bool has_kind = std::any_of(steps.begin(), steps.end(), [&](const ApprovalStep& s) {
    return s.approver == ctx.actor && s.explanation == explanation;
  });
  auto first_of_mine = [&](auto&& also) {
    return std::find_if(steps.begin(), steps.end(), [&](const ApprovalStep& s) {
      return s.approver == ctx.actor && (!has_kind || s.explanation == explanation) && also(s);
    });
  };
  auto mine = first_of_mine([](const ApprovalStep& s) { return s.current; });
  if (mine == steps.end()) mine = first_of_mine([](const ApprovalStep& s) { return s.state != ApprovalState::approved; });
  if (mine == steps.end()) mine = first_of_mine([](const ApprovalStep&) { return true; });
  if (mine == steps.end()) {
    std::string approvers;
    for (const ApprovalStep& s : steps) approvers += (approvers.empty() ? "" : ", ") + s.approver;
    throw PermissionError(msg<Msg::not_an_approver>(ctx.actor, r.ref),
                          approvers.empty() ? msg<Msg::no_approval_asked>(r.ref)
                                            : msg<Msg::its_approvers_are>(approvers));
  }
  refuse_tombstone(ctx, r);
  refuse_if_closed(r, approve ? "approved" : "rejected");
  if (mine->state == ApprovalState::approved)
    throw StateError(msg<Msg::already_approved_by>(r.ref, ctx.actor), msg<Msg::nothing_do>());
  if (mine->state == ApprovalState::rejected)
    throw StateError(msg<Msg::already_rejected_by>(r.ref, ctx.actor),
                     mine->explanation ? msg<Msg::ask_again_explanation>(r.ref, ctx.actor)
                                       : msg<Msg::ask_again_approve_request>(r.ref, ctx.actor));
  if (!mine->current) {
    auto first = std::find_if(steps.begin(), steps.end(),
                              [](const ApprovalStep& s) { return !s.explanation && s.state != ApprovalState::approved; });
    throw StateError(msg<Msg::not_your_turn>(r.ref, first->approver, ctx.actor),
                     first->state == ApprovalState::rejected ? msg<Msg::ask_again_approve_request>(r.ref, first->approver)
                                                             : msg<Msg::approver_approves_with>(first->approver, r.ref));
  }
  Clock* c = find_clock(r, mine->clock.name);
  // Paused still when the one before came in stopped by an import of the state alone: its
  // wait does not count (stop_clock ends the pause).
  stop_clock(ctx.calendar, *c, ctx.now);
  json data = {{"clock", c->name}, {"used_seconds", *c->used_seconds},
               {"on_time", c->due ? json(*c->stopped_at <= *c->due) : json(nullptr)}};
  if (!text.empty()) data[approve ? "note" : "reason"] = text;
  if (approve && !mine->explanation)
    for (auto next = mine + 1; next != steps.end(); ++next)
      if (!next->explanation && next->state == ApprovalState::pending) {
        Clock* n = find_clock(r, next->clock.name);
        begin_turn(ctx, *n);
        data["next"] = {{"clock", n->name}, {"paused_seconds", n->paused_seconds},
                        {"due", n->due ? json(ctx.calendar.format_iso(*n->due)) : json(nullptr)}};
        break;
      }
  ctx.store.update_record(r);
  append(ctx, r, approve ? "approved" : "rejected", data);
  tx->commit();
  return r;
}

Record request_approval(Context& ctx, const std::string& ref, const std::string& from, const std::string& note,
                        bool explanation) {
  require_write(ctx, msg<Msg::action_request_approval>());
  if (from.empty()) throw UsageError(msg<Msg::give_from_approver>());
  if (!ctx.config.user(from)) {
    std::vector<std::string> candidates;
    for (const User& u : ctx.config.users) candidates.push_back(u.id);
    throw DataError(msg<Msg::unknown_user>(from, "--from"), suggestion(from, candidates, msg<Msg::see_config_show>()));
  }
  if (from == ctx.actor) throw DataError(msg<Msg::may_not_approve_own>(from), msg<Msg::ask_someone_else>());
  auto tx = begin_write(ctx);
  // Those who may act on it (its department, top management, admins): an approval asked
  // gates its closing, which is theirs to decide.
  Record r = load_to_act(ctx, ref, msg<Msg::action_request_approval>());
  // Who may not read it learns nothing of its approvals, not even that one was asked.
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_ask_above_clearance>(ctx.actor, r.ref), msg<Msg::ask_someone_cleared_for>(r.level));
  refuse_if_closed(r, "sent for approval");
  Access approver(ctx.config, from);
  if (!approver.may_write() || !approver.may_read(r.level))
    throw DataError(msg<Msg::approver_may_not>(from, r.level), msg<Msg::ask_someone_cleared_for>(r.level));
  std::vector<ApprovalStep> steps = approval_steps(ctx.store, r);
  // The matter's chain and an explanation's approvals are asked apart: an explanation's
  // turn is at once, the matter's once every one before in its chain has approved.
  auto turn_now = [&](auto end) {
    return explanation || std::all_of(steps.begin(), end, [](const ApprovalStep& s) {
             return s.explanation || s.state == ApprovalState::approved;
           });
  };
  const Kind* kind = ctx.config.kind(r.kind);
  Clock c;
  auto mine = std::find_if(steps.begin(), steps.end(),
                           [&](const ApprovalStep& s) { return s.approver == from && s.explanation == explanation; });
  if (mine != steps.end()) {
    if (mine->state == ApprovalState::pending)
      throw StateError(msg<Msg::already_asked>(r.ref, from), msg<Msg::approver_approves_with>(from, r.ref));
    // Asked again, after a rejection or to approve anew (a reopened matter).
    c = approval_clock(ctx, kind, mine->number, from, ctx.now, turn_now(mine));
    *find_clock(r, mine->clock.name) = c;
  } else {
    const int number = steps.empty() ? 1 : steps.back().number + 1;
    c = approval_clock(ctx, kind, number, from, ctx.now, turn_now(steps.end()));
    r.clocks.push_back(c);
  }
  json data = {{"clock", clock_json(ctx.calendar, c)}};
  if (explanation) data["purpose"] = "explanation";
  if (!note.empty()) data["note"] = note;
  ctx.store.update_record(r);
  append(ctx, r, "approval-requested", data);
  tx->commit();
  return r;
}

bool owed_past_close(std::string_view clock) { return !receipt_holder(clock).empty() || action_number(clock) != 0; }

std::string action_clock_name(int number, const std::string& user) { return fmt::format("action:{}:{}", number, user); }

int action_number(std::string_view clock) { return numbered(clock, "action:"); }

std::string action_owner(std::string_view clock) { return numbered_holder(clock, "action:"); }

std::string action_id(const std::string& ref, int number) { return fmt::format("{}/A{}", ref, number); }

std::vector<ActionItem> record_actions(Store& store, const Record& r) { return record_actions(r, store.events_for(r.id)); }

std::vector<ActionItem> record_actions(const Record& r, const std::vector<Event>& history) {
  std::vector<ActionItem> items;
  for (const Clock& c : r.clocks)
    if (int n = action_number(c.name)) items.push_back({action_id(r.ref, n), n, action_owner(c.name), "", c, "", ""});
  if (items.empty()) return items;
  std::sort(items.begin(), items.end(), [](const ActionItem& a, const ActionItem& b) { return a.number < b.number; });
  for (const Event& e : history) {
    if (e.type != "action-added" && e.type != "action-done") continue;
    const json data = json::parse(e.data, nullptr, false);
    const std::string name = named_clock(data);
    for (ActionItem& a : items) {
      if (a.clock.name != name) continue;
      if (e.type == "action-added") {
        a.text = data.value("text", "");
      } else {
        a.done_by = e.actor;
        a.evidence = data.value("evidence", "");
      }
    }
  }
  return items;
}

namespace {
/// The record and the number an action id ("REF/A2") names; UsageError when it is not so
/// written, NotFoundError when no such record exists.
std::pair<Record, int> load_action(Context& ctx, const std::string& id) {
  const auto slash = id.rfind("/A");
  int n = 0;
  if (slash != std::string::npos) {
    const char* first = id.data() + slash + 2;
    const char* last = id.data() + id.size();
    auto [end, ec] = std::from_chars(first, last, n);
    if (ec != std::errc() || end != last) n = 0;
  }
  if (n <= 0) throw UsageError(msg<Msg::not_an_action_id>(id), msg<Msg::action_ids_look_like>());
  return {load(ctx, id.substr(0, slash)), n};
}
}  // namespace

ActionItem add_action(Context& ctx, const ActionRequest& req) {
  require_write(ctx, msg<Msg::action_add_action>());
  require_text(req.text, msg<Msg::the_action_text>(), msg<Msg::give_action_text>());
  if (req.owner.empty()) throw UsageError(msg<Msg::give_action_owner>());
  check_user(ctx.config, req.owner, "--owner");
  check_not_future(ctx);
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, req.ref, msg<Msg::action_add_action>());
  // Who may not read it learns nothing of its actions.
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_add_action_above_clearance>(ctx.actor, r.ref),
                          msg<Msg::ask_someone_cleared_for>(r.level));
  if (!ctx.config.users.empty()) {
    Access owner(ctx.config, req.owner);
    if (!owner.may_write() || !owner.may_read(r.level))
      throw DataError(msg<Msg::action_owner_may_not>(req.owner, r.level), msg<Msg::ask_someone_cleared_for>(r.level));
  }
  int number = 1;
  for (const Clock& c : r.clocks) number = std::max(number, action_number(c.name) + 1);
  const std::string name = action_clock_name(number, req.owner);
  const Kind* kind = ctx.config.kind(r.kind);
  Clock c;
  if (req.due_within) {
    c = start_clock(ctx, name, *req.due_within, ctx.now);
    c.given = true;
  } else if (req.due_at) {
    check_deadline(name, *req.due_at);
    c.name = name;
    c.started_at = ctx.now;
    c.due = *req.due_at;
    c.config_hash = ctx.config.hash;
    c.provisional = ctx.calendar.provisional(ctx.now, *c.due);
    c.given = true;
  } else if (kind && kind->action) {
    c = start_clock(ctx, name, *kind->action, ctx.now);
  } else {
    throw DataError(msg<Msg::action_needs_due>(r.kind), msg<Msg::give_due_or_kind_action>());
  }
  if (*c.due <= ctx.now)
    throw DataError(msg<Msg::action_due_passed>(ctx.calendar.format_iso(*c.due)), msg<Msg::give_later_due>());
  r.clocks.push_back(c);
  json data = {{"clock", clock_json(ctx.calendar, c)}, {"text", req.text}};
  ctx.store.update_record(r);
  append(ctx, r, "action-added", data);
  tx->commit();
  return {action_id(r.ref, number), number, req.owner, req.text, c, "", ""};
}

ActionItem complete_action(Context& ctx, const std::string& id, const std::string& evidence) {
  require_write(ctx, msg<Msg::action_complete_action>());
  require_text(evidence, msg<Msg::the_evidence>(), msg<Msg::give_evidence_text>());
  auto tx = begin_write(ctx);
  auto [r, number] = load_action(ctx, id);
  Clock* c = nullptr;
  std::vector<std::string> ids;
  for (Clock& k : r.clocks)
    if (int n = action_number(k.name)) {
      ids.push_back(action_id(r.ref, n));
      if (n == number) c = &k;
    }
  // Its owner, or those who may act on the record; both cleared for its level. Anyone
  // else learns nothing of its actions, not even whether this one exists.
  const bool owner = c && action_owner(c->name) == ctx.actor && !ctx.config.users.empty();
  if (!owner) ctx.access().require_act_on(r, msg<Msg::action_complete_action>());
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_add_action_above_clearance>(ctx.actor, r.ref),
                          msg<Msg::ask_someone_cleared_for>(r.level));
  if (!c) {
    std::string listed;
    for (const std::string& other : ids) listed += (listed.empty() ? "" : ", ") + other;
    throw NotFoundError(msg<Msg::no_such_action>(id),
                        ids.empty() ? msg<Msg::record_has_no_actions>(r.ref)
                                    : suggestion(id, ids, msg<Msg::its_actions_are>(listed)));
  }
  refuse_tombstone(ctx, r);
  if (c->stopped_at)
    throw StateError(msg<Msg::action_already_done>(id, ctx.calendar.format_iso(*c->stopped_at)), msg<Msg::nothing_do>());
  stop_clock(ctx.calendar, *c, ctx.now);
  json data = {{"clock", c->name}, {"used_seconds", *c->used_seconds},
               {"on_time", c->due ? json(*c->stopped_at <= *c->due) : json(nullptr)}, {"evidence", evidence}};
  ctx.store.update_record(r);
  append(ctx, r, "action-done", data);
  tx->commit();
  for (ActionItem& a : record_actions(ctx.store, r))
    if (a.number == number) return a;
  return {id, number, action_owner(c->name), "", *c, ctx.actor, evidence};
}

Record notify_party(Context& ctx, const NotifyRequest& req) {
  check_channel(ctx.config, req.via, "--via");
  if (req.via.empty()) throw UsageError(msg<Msg::give_via_channel>());
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, req.ref, msg<Msg::action_notify>());
  Clock* c = find_clock(r, notify_clock_name(req.party));
  if (!c) {
    std::vector<std::string> owed;
    std::string listed;
    for (const Clock& other : r.clocks)
      if (std::string party = notified_party(other.name); !party.empty()) {
        listed += (listed.empty() ? "" : ", ") + party;
        owed.push_back(std::move(party));
      }
    throw DataError(msg<Msg::owes_no_notification>(r.ref, req.party),
                    owed.empty() ? msg<Msg::no_notifications_owed>()
                                 : suggestion(req.party, owed, msg<Msg::its_notifications_are>(listed)));
  }
  if (c->stopped_at)
    throw StateError(msg<Msg::already_notified>(r.ref, req.party, ctx.calendar.format_iso(*c->stopped_at)));
  stop_clock(ctx.calendar, *c, ctx.now);
  json data = {{"party", req.party}, {"via", req.via}, {"clock", c->name}, {"used_seconds", *c->used_seconds},
               {"on_time", c->due ? json(*c->stopped_at <= *c->due) : json(nullptr)}};
  if (!req.note.empty()) data["note"] = req.note;
  ctx.store.update_record(r);
  append(ctx, r, "notified", data);
  tx->commit();
  return r;
}

Record edit_record(Context& ctx, const std::string& ref, const RecordEdit& edit) {
  if (edit.subject) require_text(*edit.subject, msg<Msg::the_subject>(), msg<Msg::give_subject_text>());
  if (edit.topic && !edit.topic->empty()) check_id(ctx.config, IdKind::topic, *edit.topic, "--topic");
  // The limits filing and closing apply: numbers are short fields, a CAPA reference text.
  for (const auto& [field, value] :
       {std::pair{"customer_ref", &edit.customer_ref}, {"8d", &edit.eight_d}, {"their_ref", &edit.their_ref}})
    if (*value) check_text(msg<Msg::the_field>(field), **value, limits::kId);
  for (const auto& [field, value] : {std::pair{"capa", &edit.capa}, {"obligation", &edit.compliance_obligation}})
    if (*value) check_text(msg<Msg::the_field>(field), **value, ctx.config.limits.text);
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, ref, msg<Msg::action_edit>());
  // Who may not read the record may not overwrite what is hidden from them, nor learn by
  // "nothing to change" whether a guess was right.
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_edit_above_clearance>(ctx.actor, r.ref),
                          msg<Msg::ask_someone_cleared_for>(r.level));
  // A field the kind requires cannot be cleared (file_record requires it on filing).
  if (const Kind* kind = ctx.config.kind(r.kind)) {
    const auto& required = r.direction == Direction::internal ? kind->requires_internal : kind->requires_external;
    for (const auto& [field, value] : {std::pair{"topic", &edit.topic}, {"customer_ref", &edit.customer_ref}})
      if (*value && (*value)->empty() && std::find(required.begin(), required.end(), field) != required.end())
        throw DataError(msg<Msg::direction_kind_needs>(to_string(r.direction), r.kind, field),
                        msg<Msg::give_flag>(std::string(field) == "customer_ref" ? "customer-ref" : field));
  }
  json from = json::object(), to = json::object();
  auto apply = [&](const char* name, std::string& field, const std::optional<std::string>& value) {
    if (!value || *value == field) return;
    from[name] = field;
    to[name] = *value;
    field = *value;
  };
  apply("subject", r.subject, edit.subject);
  apply("body", r.body, edit.body);
  apply("topic", r.topic, edit.topic);
  apply("customer_ref", r.customer_ref, edit.customer_ref);
  apply("eight_d", r.eight_d, edit.eight_d);
  apply("capa", r.capa, edit.capa);
  apply("their_ref", r.their_ref, edit.their_ref);
  apply("compliance_obligation", r.compliance_obligation, edit.compliance_obligation);
  if (to.empty()) throw UsageError(msg<Msg::nothing_change>(), msg<Msg::edit_give_changed_field>(r.ref));
  ctx.store.update_record(r);
  append(ctx, r, "edited", {{"from", std::move(from)}, {"to", std::move(to)}});
  tx->commit();
  return r;
}

KeptRecount recount_kept(Context& ctx) {
  ctx.access().require_recount();
  Maintenance& maintenance = require(ctx.store, ctx.store.maintenance(), msg<Msg::can_recount_kept>());
  auto tx = ctx.store.write();
  KeptRecount out = maintenance.recount_kept();
  tx->commit();
  return out;
}

Record reopen_record(Context& ctx, const std::string& ref, const std::string& reason) {
  require_text(reason, msg<Msg::the_reason>(), msg<Msg::give_reason_text>());
  auto tx = begin_write(ctx);
  Record r = load_to_act(ctx, ref, msg<Msg::action_reopen>());
  if (r.status != Status::closed)
    throw StateError(msg<Msg::not_closed>(r.ref), msg<Msg::only_closed_records_can_reopened>());
  json data = {{"reason", reason}, {"previous_outcome", r.outcome ? to_string(*r.outcome) : ""}};
  r.status = Status::acknowledged;
  if (!r.acked_at) r.acked_at = ctx.now;
  r.outcome.reset();
  r.resolution.clear();
  r.reply_via.clear();
  r.closed_at.reset();
  const Kind* kind = ctx.config.kind(r.kind);
  std::erase_if(r.clocks, [](const Clock& c) { return c.name == "resolve"; });
  if (kind)
    if (auto d = kind->resolve.get(r.direction)) {
      r.clocks.push_back(start_clock(ctx, "resolve", *d, ctx.now));
      data["clock"] = clock_json(ctx.calendar, r.clocks.back());
    }
  sync_dues(r);
  ctx.store.update_record(r);
  append(ctx, r, "reopened", data);
  tx->commit();
  return r;
}

std::optional<Identity> view_identity(Context& ctx, const std::string& ref) {
  const Access& access = ctx.access();
  auto tx = begin_write(ctx);
  Record r = load(ctx, ref);
  access.require_identity(r);
  auto identity = ctx.store.find_identity(r.id);
  if (identity && identity.value().given()) {
    append(ctx, r, "identity-viewed", {{"granted_as", std::string(access.identity_grant(r.owner))}});
    tx->commit();
  }
  return identity;
}

std::vector<ClockExplanation> explain_deadlines(Context& ctx, const std::string& ref) {
  Record r = load(ctx, ref);
  // Who gave a resolve deadline: a schedule (its filed event says which) or the sender.
  std::string schedule;
  if (const Clock* resolve = find_clock(r, "resolve"); resolve && resolve->given)
    for (const Event& e : ctx.store.events_for(r.id))
      if (e.type == "filed") {
        const json data = json::parse(e.data, nullptr, false);
        if (data.is_object() && data.contains("schedule") && data["schedule"].is_object())
          schedule = data["schedule"].value("id", "");
        break;
      }
  std::vector<ClockExplanation> out;
  for (const auto& c : r.clocks) {
    ClockExplanation e;
    e.clock = c;
    if (c.name == "resolve") e.schedule = schedule;
    if (auto d = Duration::parse(c.duration)) e.steps = ctx.calendar.explain(c.started_at, *d);
    if (c.used_seconds) {
      e.used_seconds = *c.used_seconds;
    } else {
      TimePoint until = c.paused_since ? *c.paused_since : ctx.now;
      e.used_seconds = std::max<std::int64_t>(0, clock_time(ctx.calendar, c, c.started_at, until) - c.paused_seconds);
    }
    if (c.due && c.stopped_at) e.met = *c.stopped_at <= *c.due;
    out.push_back(std::move(e));
  }
  return out;
}

void add_party(Context& ctx, const Party& party) {
  require_write(ctx, msg<Msg::action_add_parties>());
  if (party.id.empty() || party.id.find_first_of(" \t\r\n,") != std::string::npos)
    throw DataError(msg<Msg::cannot_be_party_id>(party.id), msg<Msg::use_short_party_id>());
  require_text(party.name, msg<Msg::the_partys_name>(), msg<Msg::give_the_name>());
  check_party_type(ctx.config, party.type);
  auto tx = begin_write(ctx);
  if (ctx.store.find_party(party.id))
    throw StateError(msg<Msg::party_already_exists>(party.id), msg<Msg::choose_another_party_id>(party.id));
  Party p = party;
  p.created_at = ctx.now;
  ctx.store.insert_party(p);
  append(ctx, nullptr, "party-added", party_json(p));
  tx->commit();
}

Party edit_party(Context& ctx, const std::string& id, const PartyEdit& edit) {
  require_write(ctx, msg<Msg::action_edit_parties>());
  if (edit.type) check_party_type(ctx.config, *edit.type);
  auto tx = begin_write(ctx);
  Party p = get_party(ctx.store, id);
  json before = party_json(p);
  auto apply = [](std::string& field, const std::optional<std::string>& v) { if (v) field = *v; };
  apply(p.name, edit.name);
  apply(p.type, edit.type);
  apply(p.contact, edit.contact);
  apply(p.phone, edit.phone);
  apply(p.email, edit.email);
  apply(p.address, edit.address);
  apply(p.notes, edit.notes);
  if (edit.name) require_text(p.name, msg<Msg::the_partys_name>(), msg<Msg::give_a_name>());
  json after = party_json(p);
  json changes = json::object();
  for (auto& [k, v] : after.items())
    if (before[k] != v) changes[k] = {{"from", before[k]}, {"to", v}};
  if (changes.empty()) throw UsageError(msg<Msg::nothing_change>(), msg<Msg::give_at_least_one_field>());
  ctx.store.update_party(p);
  append(ctx, nullptr, "party-edited", {{"id", p.id}, {"changes", changes}});
  tx->commit();
  return p;
}

Party get_party(Store& store, const std::string& id) {
  if (auto p = store.find_party(id)) return *p;
  throw NotFoundError(msg<Msg::no_party>(id), msg<Msg::see_party_list>());
}

}  // namespace liaison
