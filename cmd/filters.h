// The record filters that `list` and `export` share (--status, --kind, … --sort, --limit):
// one set of options, one translation into a RecordFilter, documented in liaison-list(1).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.h"
#include "store.h"

namespace liaison::cli {

/// The filter options as given on the command line.
struct FilterOptions {
  std::vector<std::string> status, kind, dept, party, assignee, topic, customer_ref, eight_d, their_ref;
  std::string direction, since, until, sort = "received";
  std::string grep;
  bool major = false, not_major = false, overdue = false, held = false;
  std::int64_t limit = 0;
  CLI::Option* grep_option = nullptr;  ///< set by add_filter_options: was --grep given (even empty)?
};

/// Adds the filter options to a command; `status_default` describes --status's default
/// in the help ("all but closed").
void add_filter_options(CLI::App& app, FilterOptions& o, const std::string& status_default);
/// The RecordFilter the options ask for; UsageError/DataError for bad values. With no
/// --status, `default_statuses` are used (empty = every status).
RecordFilter build_filter(const FilterOptions& o, Env& env, const std::vector<std::string>& default_statuses);

}  // namespace liaison::cli
