#include "filters.h"

#include <map>

#include <fmt/format.h>

#include "errors.h"
#include "reads.h"
#include "search.h"

namespace liaison::cli {

RecordFilter build_filter(const FilterOptions& o, Env& env, const std::vector<std::string>& default_statuses) {
  RecordFilter f;
  auto statuses = split_list(o.status);
  if (statuses.empty()) statuses = default_statuses;
  for (const auto& s : statuses) {
    if (s == "all") {
      f.statuses.clear();
      break;
    }
    auto st = parse_status(s);
    if (!st)
      throw UsageError(msg<Msg::status_unknown_status>(s),
                       msg<Msg::use_statuses_or_all>());
    f.statuses.push_back(*st);
  }
  f.kinds = split_list(o.kind);
  check_filter_kinds(env.config(), f.kinds);
  // An id that names nobody is an error, not an empty result; `me` is the acting user
  // (or their department).
  const Context ctx = env.context();
  f.owners = departments_or_mine(ctx, split_list(o.dept), "--dept");
  check_filter_departments(env.config(), f.owners);
  f.parties = split_list(o.party);
  check_filter_parties(ctx, f.parties);
  f.assignees = filter_assignees(ctx, split_list(o.assignee));
  f.topics = split_list(o.topic);
  check_filter_topics(env.config(), f.topics);
  f.customer_refs = split_list(o.customer_ref);
  f.eight_ds = split_list(o.eight_d);
  f.their_refs = o.their_ref;  // exactly as given: a letter's number may hold a comma
  if (!o.direction.empty()) f.direction = direction_option(o.direction);
  if (o.major) f.major = true;
  if (o.not_major) f.major = false;
  if (o.held) f.held = true;
  if (!o.since.empty()) f.received_since = env.parse_time(o.since, "--since");
  if (!o.until.empty()) f.received_until = env.parse_time(o.until, "--until", WorkCalendar::Bound::end);
  if (o.overdue) f.overdue_at = env.now();
  if (o.grep_option && o.grep_option->count() > 0) {
    // Records the user may not read are left out by the read (lib/services/reads.h).
    f.grep = search_text_option({o.grep}, "--grep");
  }
  std::string sort = o.sort;
  if (!sort.empty() && sort[0] == '-') {
    f.descending = true;
    sort = sort.substr(1);
  }
  static const std::map<std::string, RecordFilter::SortKey> keys = {
      {"received", RecordFilter::SortKey::received}, {"due", RecordFilter::SortKey::due},
      {"ack_due", RecordFilter::SortKey::ack_due},   {"ref", RecordFilter::SortKey::ref},
      {"kind", RecordFilter::SortKey::kind},         {"owner", RecordFilter::SortKey::owner},
      {"status", RecordFilter::SortKey::status}};
  auto it = keys.find(sort);
  if (it == keys.end())
    throw UsageError(msg<Msg::sort_cannot_sort_by>(o.sort), msg<Msg::use_sort_keys>());
  f.sort = it->second;
  if (o.limit < 0) throw UsageError(msg<Msg::limit_must_0_no_limit_more>());
  f.limit = o.limit;
  return f;
}

void add_filter_options(CLI::App& app, FilterOptions& o, const std::string& status_default) {
  app.add_option("--status", o.status,
                 fmt::format("open, acknowledged, waiting, closed or all (default: {})", status_default));
  app.add_option("--kind", o.kind, "kind id(s)");
  app.add_option("--direction", o.direction, "internal or external");
  app.add_option("--dept", o.dept, "owner department id(s); me: the acting user's");
  app.add_option("--party", o.party, "party id(s)");
  app.add_option("--assignee", o.assignee, "assignee user id(s); me: the acting user");
  app.add_option("--topic", o.topic, "topic id(s)");
  app.add_option("--customer-ref", o.customer_ref, "the customer's own number(s) for it, exactly");
  app.add_option("--8d", o.eight_d, "8D report number(s), exactly");
  app.add_option("--their-ref", o.their_ref, "the sender's reference(s), exactly (repeat for several)");
  auto* major = app.add_flag("--major", o.major, "only major records");
  app.add_flag("--not-major", o.not_major, "only records that are not major")->excludes(major);
  app.add_option("--since", o.since, "received at or after this time");
  app.add_option("--until", o.until, "received before this time");
  app.add_flag("--overdue", o.overdue, "only records past their resolve deadline");
  app.add_flag("--held", o.held, "only records under a legal hold (liaison hold)");
  o.grep_option = app.add_option("--grep", o.grep,
                                 "only records whose subject, body or history says this (as 'liaison search')");
  app.add_option("--sort", o.sort, "received (default), due, ack_due, ref, kind, owner, status; -KEY descends");
  app.add_option("--limit", o.limit, "at most this many records (0 = all)");
}

}  // namespace liaison::cli
