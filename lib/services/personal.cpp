#include "personal.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <date/date.h>

#include "access.h"
#include "reads.h"

namespace liaison {

namespace {

/// The statuses with something left to do.
const std::vector<Status> kNotClosed = {Status::open, Status::acknowledged, Status::waiting};

bool nearer(const OpenDeadline& a, const OpenDeadline& b) {
  // "ack" sorts before "resolve".
  return std::tie(a.due, a.record.ref, a.obligation) < std::tie(b.due, b.record.ref, b.obligation);
}

/// Records ordered by their next deadline, those without one last, then by reference.
void sort_by_next_deadline(std::vector<Record>& records, TimePoint now) {
  auto key = [now](const Record& r) {
    const auto next = next_deadline(r, now);
    return std::tuple{!next.has_value(), next ? next->due : TimePoint{}, r.ref};
  };
  std::stable_sort(records.begin(), records.end(),
                   [&](const Record& a, const Record& b) { return key(a) < key(b); });
}

std::vector<Record> not_closed(const Context& ctx, const std::string& user, const std::string& department) {
  RecordFilter filter;
  filter.statuses = kNotClosed;
  if (!user.empty()) filter.assignees = {user};
  if (!department.empty()) filter.owners = {department};
  return list_records(ctx, filter);
}

/// The receipts `user` has still to sign (closed notices too), nearest first.
std::vector<OpenDeadline> unsigned_receipts(const Context& ctx, const std::string& user) {
  std::vector<OpenDeadline> out;
  RecordFilter filter;
  filter.unsigned_by = user;
  const std::string receipt = receipt_clock_name(user);
  for (auto& r : list_records(ctx, filter))
    for (const Clock& c : ctx.store.clocks_for(r.id))
      if (c.name == receipt && c.due && !c.stopped_at) out.push_back({r, receipt, *c.due, *c.due < ctx.now});
  std::sort(out.begin(), out.end(), nearer);
  return out;
}

/// The action items `user` owns and has not done (closed meetings too), nearest first.
std::vector<OpenDeadline> owned_actions(const Context& ctx, const std::string& user) {
  std::vector<OpenDeadline> out;
  RecordFilter filter;
  filter.actions_of = user;
  filter.open_actions = true;
  filter.readable_levels = readable_levels(ctx);
  for (auto& r : list_records(ctx, filter))
    for (const Clock& c : ctx.store.clocks_for(r.id))
      if (action_owner(c.name) == user && c.due && !c.stopped_at) out.push_back({r, c.name, *c.due, *c.due < ctx.now});
  std::sort(out.begin(), out.end(), nearer);
  return out;
}

/// The records whose approval it is `user`'s turn to give, each with its deadline if the
/// kind sets one; those with a deadline first, nearest first, then by reference.
std::vector<std::pair<Record, std::optional<OpenDeadline>>> approvals_due(const Context& ctx, const std::string& user) {
  std::vector<std::pair<Record, std::optional<OpenDeadline>>> out;
  RecordFilter filter;
  filter.statuses = kNotClosed;
  filter.approval_turn_of = user;
  for (auto& r : list_records(ctx, filter)) {
    std::optional<OpenDeadline> due;
    for (const Clock& c : ctx.store.clocks_for(r.id))
      if (approval_holder(c.name) == user && !c.stopped_at && !c.paused_since && c.due)
        due = OpenDeadline{r, c.name, *c.due, *c.due < ctx.now};
    out.emplace_back(std::move(r), std::move(due));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tuple{!a.second, a.second ? a.second->due : TimePoint{}, a.first.ref} <
           std::tuple{!b.second, b.second ? b.second->due : TimePoint{}, b.first.ref};
  });
  return out;
}

}  // namespace

std::optional<OpenDeadline> next_deadline(const Record& record, TimePoint now) {
  if (record.status == Status::closed) return std::nullopt;
  if (!record.acked_at && record.ack_due) return OpenDeadline{record, "ack", *record.ack_due, *record.ack_due < now};
  if (record.status != Status::waiting && record.due) return OpenDeadline{record, "resolve", *record.due, *record.due < now};
  return std::nullopt;
}

namespace {

/// The deadlines of what a user owes, from the lists read for them: the acknowledgements
/// and resolutions of `assigned` and `owned` (each record once), then the receipts,
/// approvals and actions. Nearest first.
std::vector<OpenDeadline> deadlines_of(const Context& ctx, const std::vector<Record>& assigned,
                                       const std::vector<Record>& owned, const std::vector<OpenDeadline>& receipts,
                                       const std::vector<std::pair<Record, std::optional<OpenDeadline>>>& approvals,
                                       const std::vector<OpenDeadline>& actions) {
  std::vector<OpenDeadline> deadlines;
  std::set<std::string> seen;
  for (const auto* records : {&assigned, &owned})
    for (const auto& r : *records) {
      if (!seen.insert(r.ref).second) continue;  // assigned to the user and owned by the department
      if (!r.acked_at && r.ack_due) deadlines.push_back({r, "ack", *r.ack_due, *r.ack_due < ctx.now});
      if (r.status != Status::waiting && r.due) deadlines.push_back({r, "resolve", *r.due, *r.due < ctx.now});
    }
  deadlines.insert(deadlines.end(), receipts.begin(), receipts.end());
  for (const auto& [r, due] : approvals)
    if (due) deadlines.push_back(*due);
  deadlines.insert(deadlines.end(), actions.begin(), actions.end());
  std::sort(deadlines.begin(), deadlines.end(), nearer);
  return deadlines;
}

}  // namespace

std::vector<OpenDeadline> open_deadlines(const Context& ctx, const std::string& user, const std::string& department) {
  const std::vector<Record> assigned = user.empty() ? std::vector<Record>{} : not_closed(ctx, user, "");
  const std::vector<Record> owned = department.empty() ? std::vector<Record>{} : not_closed(ctx, "", department);
  if (user.empty()) return deadlines_of(ctx, assigned, owned, {}, {}, {});
  return deadlines_of(ctx, assigned, owned, unsigned_receipts(ctx, user), approvals_due(ctx, user),
                      owned_actions(ctx, user));
}

Todo read_todo(const Context& ctx) {
  Todo todo;
  todo.user = user_or_me(ctx, "@me", "todo");
  if (const User* user = ctx.access().user()) todo.department = user->department;
  todo.may_acknowledge = !todo.department.empty() && ctx.access().may_act_on(todo.department);
  const date::sys_days today = ctx.calendar.local_date(ctx.now);
  const date::sys_days monday = today - (date::weekday{today} - date::Monday) + date::days{7};
  todo.week_end = ctx.calendar.at_local(monday, 0);

  // Each list read once: the week's deadlines come from the same records.
  todo.assigned = not_closed(ctx, todo.user, "");
  const std::vector<Record> owned = todo.department.empty() ? std::vector<Record>{} : not_closed(ctx, "", todo.department);
  todo.to_sign = unsigned_receipts(ctx, todo.user);
  todo.to_approve = approvals_due(ctx, todo.user);
  todo.actions = owned_actions(ctx, todo.user);
  for (auto& d : deadlines_of(ctx, todo.assigned, owned, todo.to_sign, todo.to_approve, todo.actions))
    if (d.due < todo.week_end) todo.due_this_week.push_back(std::move(d));
  sort_by_next_deadline(todo.assigned, ctx.now);
  if (todo.may_acknowledge) {
    for (const auto& r : owned)
      if (!r.acked_at) todo.to_acknowledge.push_back(r);
    sort_by_next_deadline(todo.to_acknowledge, ctx.now);
  }
  return todo;
}

}  // namespace liaison
