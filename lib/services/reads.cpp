#include "reads.h"

#include <filesystem>
#include <ostream>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access.h"
#include "attachments.h"
#include "errors.h"
#include "ids.h"
#include "report_labels.h"

namespace liaison {

namespace {

/// The filter as the acting user may use it: a --grep, --customer-ref, --8d or --their-ref leaves out
/// the levels they may not read, or the match itself would leak what redaction hides.
RecordFilter for_reader(const Context& ctx, RecordFilter filter) {
  if (!filter.grep.empty() || !filter.customer_refs.empty() || !filter.eight_ds.empty() || !filter.their_refs.empty())
    filter.readable_levels = readable_levels(ctx);
  return filter;
}

}  // namespace

RecordView read_record(const Context& ctx, const std::string& ref) {
  RecordView view;
  Record r = get_record(ctx.store, ref);
  const std::string level = r.level;
  view.history = ctx.store.events_for(r.id);
  for (auto& e : view.history) e = redact(std::move(e), level, ctx.access(), ctx.lang);
  view.hold = legal_hold(view.history);  // the reason as the user may read it
  if (auto identity = ctx.store.find_identity(r.id)) view.identity = identity->anonymous ? "anonymous" : "protected";
  if (!r.party.empty()) view.party = ctx.store.find_party(r.party);
  view.actions = record_actions(r, view.history);
  for (const Event& e : view.history) {
    if (e.type != "filed") continue;
    const auto data = nlohmann::json::parse(e.data, nullptr, false);
    auto ids = [&](const char* key) {
      std::vector<std::string> out;
      if (data.is_object() && data.contains(key) && data[key].is_array())
        for (const auto& id : data[key])
          if (id.is_string()) out.push_back(id.get<std::string>());
      return out;
    };
    view.attendees = ids("attendees");
    view.absent = ids("absent");
    if (data.is_object() && data.contains("follow_up") && data["follow_up"].is_string())
      view.follow_up = data["follow_up"].get<std::string>();
  }
  if (!view.follow_up.empty())
    if (auto earlier = ctx.store.find_record(view.follow_up); earlier && ctx.access().may_read(earlier->level))
      for (ActionItem& a : record_actions(ctx.store, *earlier))
        if (!a.clock.stopped_at) view.follow_up_actions.push_back(std::move(a));
  view.record = redact(std::move(r), ctx.access(), ctx.lang);
  return view;
}

std::vector<std::pair<Record, ActionItem>> list_actions(const Context& ctx, const ActionQuery& query) {
  std::vector<Record> records;
  if (!query.meeting.empty()) {
    Record r = get_record(ctx.store, query.meeting);
    if (!ctx.access().may_read(r.level))
      throw PermissionError(msg<Msg::may_not_add_action_above_clearance>(ctx.actor, r.ref),
                            msg<Msg::ask_someone_cleared_for>(r.level));
    records.push_back(std::move(r));
  } else {
    RecordFilter filter;
    filter.actions_of = query.owner;
    filter.open_actions = query.open;
    filter.readable_levels = readable_levels(ctx);
    records = ctx.store.list_records(filter);
    for (Record& r : records) r.clocks = ctx.store.clocks_for(r.id);  // a listing leaves them out
  }
  std::vector<std::pair<Record, ActionItem>> out;
  for (Record& r : records)
    for (ActionItem& a : record_actions(ctx.store, r))
      if ((!query.open || !a.clock.stopped_at) && (query.owner.empty() || a.owner == query.owner))
        out.emplace_back(r, std::move(a));
  return out;
}

void require_record(const Context& ctx, const std::string& ref) { (void)get_record(ctx.store, ref); }

void check_identity_access(const Context& ctx, const std::string& ref) {
  ctx.access().require_identity(get_record(ctx.store, ref));
}

IdentityView read_identity(Context& ctx, const std::string& ref) {
  IdentityView view;
  view.identity = view_identity(ctx, ref);
  view.record = redact(get_record(ctx.store, ref), ctx.access(), ctx.lang);
  return view;
}

std::optional<std::vector<std::string>> readable_levels(const Context& ctx) {
  std::vector<std::string> readable;
  for (const auto& level : ctx.config.levels.order)
    if (ctx.access().may_read(level)) readable.push_back(level);
  // Who reads every level the config lists also reads the levels it no longer lists.
  if (readable.size() == ctx.config.levels.order.size()) return std::nullopt;
  return readable;
}

std::vector<Record> list_records(const Context& ctx, RecordFilter filter) {
  auto records = ctx.store.list_records(for_reader(ctx, std::move(filter)));
  // Subjects (and bodies, in JSON) of records above the user's clearance are redacted.
  if (!ctx.access().single_user())
    for (auto& r : records) r = redact(std::move(r), ctx.access(), ctx.lang);
  return records;
}

std::vector<SearchHit> search_records(const Context& ctx, const std::string& text, RecordFilter filter) {
  filter.readable_levels = readable_levels(ctx);
  return require(ctx.store, ctx.store.text_search(), msg<Msg::can_search_text>()).search_records(text, filter);
}

std::unique_ptr<QuerySession> open_query_session(const Context& ctx) {
  // The session keeps references to the viewer's parts, which outlive it with the context.
  QueryViewer viewer{ctx.config, ctx.calendar, ctx.access(), ctx.lang};
  return require(ctx.store, ctx.store.auditor_queries(), msg<Msg::can_run_auditor_queries>()).open_query_session(viewer);
}

void each_overdue(const Context& ctx, const OverdueRequest& request,
                  const std::function<void(const OverdueEntry&)>& each) {
  const bool redacting = !ctx.access().single_user();
  OverdueEntry seen;
  for_each_overdue(ctx.calendar, ctx.store, request, [&](const OverdueEntry& entry) {
    // A subject above the user's clearance is redacted.
    if (redacting && !ctx.access().may_read(entry.level)) {
      seen = entry;
      seen.subject = std::string(redaction_mark(ctx.lang));
      ctx.access().note_redacted();
      each(seen);
      return;
    }
    each(entry);
  });
}

ReminderPlan plan_remind(const Context& ctx, const OverdueRequest& request, bool sending) {
  if (sending) {
    ctx.access().require_write(msg<Msg::action_send_reminders>());
    check_not_future(ctx);  // each mail sent becomes a `reminded` event at --now
  }
  check_filter_departments(ctx.config, request.departments);
  check_filter_kinds(ctx.config, request.kinds);
  auto entries = find_overdue(ctx.calendar, ctx.store, request);
  TimePoint since = reminder_lookback(ctx.calendar, ctx.now, ctx.config.remind.interval);
  return plan_reminders(entries, ctx.config, ctx.calendar, ctx.now, sent_reminders(ctx.store, since));
}

Reminder reminder_as_read(const Context& ctx, const Reminder& reminder, bool shown_to_actor) {
  return redact_for_recipient(reminder, ctx.config, ctx.lang, shown_to_actor ? &ctx.access() : nullptr);
}

Report read_report(const Context& ctx, const Period& period, const ReportFilter& filter, const std::string& version,
                   bool with_trend, std::optional<std::int64_t> details) {
  // One snapshot for the report and its trend.
  std::unique_ptr<ReportSnapshot> snapshot = report_snapshot(ctx.store);
  Report report = build_report(ctx.config, ctx.calendar, ctx.store, *snapshot, period, filter, ctx.now, version, details);
  if (with_trend) report.trend = build_trend(ctx.calendar, *snapshot, period, filter, ctx.now);
  // The lists of records name them; a subject above the user's clearance is redacted, and
  // a tombstone's says it was purged.
  const std::string purged(report_label("purged.subject", ctx.lang));
  for (auto& item : report.overdue)
    item.subject = item.purged ? purged : redact_text(std::move(item.subject), item.level, ctx.access(), ctx.lang);
  for (auto& item : report.major)
    item.subject = item.purged ? purged : redact_text(std::move(item.subject), item.level, ctx.access(), ctx.lang);
  return report;
}

bool event_type_present(const Context& ctx, const std::string& type) {
  // A time window, here all time since 1970, makes the store read the type's index: one probe.
  EventFilter probe;
  probe.types = {type};
  probe.since = TimePoint{};
  probe.limit = 1;
  bool present = false;
  ctx.store.audit_events(probe, [&](const Event&, const std::string&) { present = true; });
  return present;
}

void each_audit_event(const Context& ctx, const EventFilter& filter, const std::function<void(const Event&)>& each) {
  ctx.store.audit_events(filter, [&](const Event& stored, const std::string& level) {
    each(redact(stored, level, ctx.access(), ctx.lang));
  });
}

ChainCheck verify_chain(const Context& ctx) { return verify_chain(ctx.store); }

StateCheck check_states(const Context& ctx) {
  StateCheck check;
  ctx.store.record_histories([&](const RecordHistory& h) {
    for (const auto& e : h.events)
      if (auto listed = attachments_in_event(e); !listed.empty()) check.attachments_listed[e.id] = std::move(listed);
    if (check.first) return;  // the first is what is reported; the rest is read and dropped
    if (!h.record) {
      StateMismatch m;
      m.record_id = h.record_id;
      m.field = "record";
      m.stored = FieldValue{false, "", std::nullopt};
      m.expected = FieldValue{false, "present", std::nullopt};
      m.event_id = h.events.empty() ? 0 : h.events.front().id;
      m.problem = msg<Msg::record_id_missing_but_events_history>(record_name("", h.record_id), h.record_id,
                                                                 h.events.size());
      check.first = std::move(m);
      return;
    }
    ++check.records;
    check.first = check_record_state(*h.record, h.events);
  });
  return check;
}

ExportCounts export_records(const Context& ctx, ExportRequest request, std::ostream& out) {
  request.filter = for_reader(ctx, std::move(request.filter));
  return export_records(ctx.store, ctx.calendar, ctx.access(), ctx.lang, request, out);
}

BackupResult take_backup(const Context& ctx, const std::string& file, const std::string& db_path, bool force) {
  ctx.access().require_backup();
  std::error_code ec;
  if (std::filesystem::equivalent(file, db_path, ec))
    throw UsageError(msg<Msg::database_itself>(file), msg<Msg::give_another_file_name_backup>());
  return backup_store(ctx.store, file, force);
}

namespace {

/// Whether `id` is the word for the acting user rather than an id of its own.
bool means_me(const Context& ctx, const std::string& id) {
  return id == "@me" || (id == "me" && !ctx.config.user(id));
}

/// UsageError unless someone is acting: anyone in single-user mode, else a listed user.
void require_someone_acting(const Access& access, std::string_view flag) {
  if (access.single_user() || access.user()) return;
  throw UsageError(msg<Msg::me_nobody_acting>(flag), msg<Msg::act_as_listed_user>());
}

}  // namespace

std::string user_or_me(const Context& ctx, std::string id, std::string_view flag) {
  if (!means_me(ctx, id)) return id;
  require_someone_acting(ctx.access(), flag);
  return ctx.actor;
}

std::vector<std::string> departments_or_mine(const Context& ctx, std::vector<std::string> ids, std::string_view flag) {
  return departments_or_mine(ctx.config, ctx.access(), std::move(ids), flag);
}

std::vector<std::string> departments_or_mine(const Config& config, const Access& access, std::vector<std::string> ids,
                                             std::string_view flag) {
  for (auto& id : ids) {
    if (id != "@me" && (id != "me" || config.department(id))) continue;
    require_someone_acting(access, flag);
    const User* user = access.user();
    if (!user || user->department.empty())
      throw UsageError(msg<Msg::me_no_department>(flag, access.actor()), msg<Msg::give_department_id>());
    id = user->department;
  }
  return ids;
}

std::vector<std::string> filter_users(const Context& ctx, std::vector<std::string> ids, std::string_view flag,
                                      const std::function<bool(const std::string&)>& present) {
  for (auto& id : ids) {
    id = user_or_me(ctx, std::move(id), flag);
    auto problem = id_problem(ctx.config, IdKind::user, id, flag);
    if (problem && !present(id)) throw NotFoundError(std::move(problem->message), std::move(problem->hint));
  }
  return ids;
}

std::vector<std::string> filter_assignees(const Context& ctx, std::vector<std::string> ids) {
  return filter_users(ctx, std::move(ids), "--assignee", [&](const std::string& id) {
    RecordFilter probe;
    probe.assignees = {id};
    probe.limit = 1;
    return !ctx.store.list_records(probe).empty();
  });
}

std::vector<std::string> filter_actors(const Context& ctx, std::vector<std::string> ids) {
  return filter_users(ctx, std::move(ids), "--actor", [&](const std::string& id) {
    EventFilter probe;
    probe.actors = {id};
    probe.limit = 1;
    bool found = false;
    ctx.store.audit_events(probe, [&](const Event&, const std::string&) { found = true; });
    return found;
  });
}

void check_filter_parties(const Context& ctx, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (ctx.store.find_party(id)) continue;
    throw NotFoundError(msg<Msg::no_party>(id),
                        did_you_mean_hint(id, ids_of(ctx.store.list_parties("")), msg<Msg::see_party_list>()));
  }
}

std::vector<Party> list_parties(const Context& ctx, const std::string& type) { return ctx.store.list_parties(type); }

Party read_party(const Context& ctx, const std::string& id) { return get_party(ctx.store, id); }

}  // namespace liaison
