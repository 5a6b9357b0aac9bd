// How the report's queries of every engine tally the rows they read into the figures of
// lib/store/report_queries.h: counts ranked, and the nearest-rank percentiles of the
// working time used. One definition, so both stores give the same figures. Internal to
// the store module.
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "report_queries.h"

namespace liaison::report_tally {

/// A tally's keys and counts, most first, then by key (the map's order: bytes).
inline std::vector<Count> ranked(const std::map<std::string, std::int64_t>& tally) {
  std::vector<Count> out;
  for (const auto& [key, n] : tally) out.push_back({key, n});
  std::stable_sort(out.begin(), out.end(), [](const Count& a, const Count& b) { return a.count > b.count; });
  return out;
}

/// A met obligation without a working time (NULL), which sorts before every value as
/// SQL sorts NULLs first.
constexpr std::int64_t kNoUsedTime = std::numeric_limits<std::int64_t>::min();

/// The obligations of one timeliness row and one clock, as they are read.
struct Obligations {
  std::int64_t count = 0;
  std::int64_t on_time = 0;
  std::vector<std::int64_t> used;  ///< of the met ones (kNoUsedTime for NULL)

  void add(const Obligations& o) {
    count += o.count;
    on_time += o.on_time;
    used.insert(used.end(), o.used.begin(), o.used.end());
  }
};

/// Fills a row's figures for one clock from its obligations: counts, and the values at
/// nearest rank ceil(p·n) of the sorted working times — (n + 1) / 2 for the median,
/// (9n + 9) / 10 for p90 — found by selection, not a whole sort (the median's rank is
/// never above p90's, so it is selected among the values before p90's).
inline void fill(Obligations& o, std::int64_t& count, std::int64_t& on_time, std::optional<std::int64_t>& median,
                 std::optional<std::int64_t>& p90) {
  count = o.count;
  on_time = o.on_time;
  const std::size_t n = o.used.size();
  if (n == 0) return;
  auto value = [](std::int64_t v) { return v == kNoUsedTime ? std::nullopt : std::optional<std::int64_t>(v); };
  const std::size_t rank90 = (9 * n + 9) / 10, rank50 = (n + 1) / 2;
  const auto at90 = o.used.begin() + static_cast<std::ptrdiff_t>(rank90 - 1);
  std::nth_element(o.used.begin(), at90, o.used.end());
  p90 = value(*at90);
  const auto at50 = o.used.begin() + static_cast<std::ptrdiff_t>(rank50 - 1);
  if (at50 != at90) std::nth_element(o.used.begin(), at50, at90);
  median = value(*at50);
}

/// The obligations of both clocks in one (department, kind) cell of the period.
struct Cell {
  std::string owner, kind;
  Obligations ack, resolve;
};

/// The timeliness rows in the order the renderers expect, folded from the period's cells:
/// "all" (there even when nothing was due, so every renderer can show its zeros), then
/// unless `overall_only` one per department, then one per kind, each by id.
inline std::vector<Timeliness> timeliness_rows(const std::vector<Cell>& cells, bool overall_only) {
  std::vector<Timeliness> out;
  auto add_row = [&](const char* group, const std::string& key, auto in_row) {
    Obligations ack, resolve;
    for (const Cell& c : cells)
      if (in_row(c)) {
        ack.add(c.ack);
        resolve.add(c.resolve);
      }
    Timeliness t;
    t.group = group;
    t.key = key;
    fill(ack, t.ack_count, t.ack_on_time, t.ack_median_seconds, t.ack_p90_seconds);
    fill(resolve, t.resolve_count, t.resolve_on_time, t.resolve_median_seconds, t.resolve_p90_seconds);
    out.push_back(std::move(t));
  };
  if (!cells.empty()) {
    add_row("all", "", [](const Cell&) { return true; });
    if (!overall_only) {
      std::set<std::string> owners, kinds;
      for (const Cell& c : cells) {
        owners.insert(c.owner);
        kinds.insert(c.kind);
      }
      for (const std::string& owner : owners) add_row("department", owner, [&](const Cell& c) { return c.owner == owner; });
      for (const std::string& kind : kinds) add_row("kind", kind, [&](const Cell& c) { return c.kind == kind; });
    }
  }
  if (out.empty() || out.front().group != "all") out.insert(out.begin(), Timeliness{"all", "", 0, 0, {}, {}, 0, 0, {}, {}});
  return out;
}

}  // namespace liaison::report_tally
