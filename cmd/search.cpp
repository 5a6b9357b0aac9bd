// liaison search TEXT: records whose subject, body or history says TEXT, best match first
// (bm25), with the words found shown in an excerpt, written a row at a time through the
// RowWriter (lib/render/row_writer.h). Chinese works: see lib/fts/fts_tokenizer.h.
#include "search.h"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "filters.h"
#include "fts_tokenizer.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

struct SearchOptions {
  std::vector<std::string> words;
  FilterOptions filter;  ///< the subset of list's filters that search offers (cmd/filters.h)
  SearchOptions() { filter.limit = 50; }
};

namespace {

/// Visible marks around a match where colour is not used (pipes, files, NO_COLOR, md,
/// JSON …): lenticular brackets, which stand out in Chinese and English text alike.
constexpr std::string_view kMarkOpen = "【";
constexpr std::string_view kMarkClose = "】";

/// The snippet with its matches between `open` and `close`.
std::string marked(const SearchHit& hit, std::string_view open, std::string_view close) {
  std::string out;
  std::size_t pos = 0;
  for (const auto& [start, end] : hit.marks) {
    if (start < pos || end > hit.snippet.size()) continue;
    out.append(hit.snippet, pos, start - pos);
    out += open;
    out.append(hit.snippet, start, end - start);
    out += close;
    pos = end;
  }
  out.append(hit.snippet, pos);
  return out;
}

/// The snippet's own text with any highlight code points removed, so data cannot fake marks.
SearchHit without_mark_code_points(SearchHit hit) {
  for (auto mark : {kHighlightOpen, kHighlightClose})
    for (auto at = hit.snippet.find(mark); at != std::string::npos; at = hit.snippet.find(mark)) {
      hit.snippet.replace(at, mark.size(), " ");
      for (auto& [start, end] : hit.marks) {  // one byte instead of three from here on
        if (start > at) start -= mark.size() - 1;
        if (end > at) end -= mark.size() - 1;
      }
    }
  return hit;
}

std::string score_text(double score) { return fmt::format("{:.3f}", score); }

}  // namespace

std::string search_text_option(const std::vector<std::string>& words, std::string_view option) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  if (!fts::match_expression(text))
    throw UsageError(option == "--grep" ? msg<Msg::grep_has_nothing_search>() : msg<Msg::search_has_nothing_search>(),
                     msg<Msg::give_word_chinese_characters_punctuation_symbols>());
  return text;
}

static void run_search(const SearchOptions& o, Env& env) {
  std::string text = search_text_option(o.words, "the search");
  RecordFilter filter = build_filter(o.filter, env, {});  // every status unless --status
  const RenderOptions options = env.render_options();
  const Format format = options.format;
  // Records the user may not read are left out, or the match itself would leak them.
  auto hits = search_records(env.context(), text, std::move(filter));

  // JSON is the whole record (record_json) with the score, the field and the snippet; the
  // other formats are the columns, names for people (table, md) and ids and the score for
  // scripts (tsv, csv).
  const bool json = format == Format::json || format == Format::jsonl;
  const bool display = format == Format::table || format == Format::md;
  const bool colour_marks = format == Format::table && options.color;
  std::vector<Column> columns;
  auto column = [&](const char* key, bool shrinkable = false) {
    columns.push_back({key, label(env, key), false, shrinkable});
  };
  column("ref");
  column("kind");
  column("status");
  column("owner");
  column("received");
  column("subject", true);
  column("snippet", true);
  if (!display) column("score");
  fit_record_columns(columns);
  RowWriter writer(std::cout, options);
  writer.begin(std::move(columns));
  for (const auto& h : hits) {
    const Record& r = h.record;
    if (json) {
      nlohmann::json j = record_json(r, env);
      j["score"] = std::round(h.score * 1000) / 1000;
      j["field"] = h.field;
      j["snippet"] = marked(h, kMarkOpen, kMarkClose);
      writer.object(j);
      continue;
    }
    const Kind* k = env.config().kind(r.kind);
    std::vector<std::string> row = {
        r.ref,
        display && k ? k->name : r.kind,
        display ? label(env, std::string(to_string(r.status))) : std::string(to_string(r.status)),
        display ? dept_name(env, r.owner) : r.owner,
        env.show_time(r.received_at),
        r.subject,
        colour_marks ? marked(without_mark_code_points(h), kHighlightOpen, kHighlightClose)
                     : marked(h, kMarkOpen, kMarkClose)};
    if (!display) row.push_back(score_text(h.score));
    writer.row(row);
  }
  writer.end();
}

Runner register_search(CLI::App& app, Env& env) {
  auto o = std::make_shared<SearchOptions>();
  app.add_option("text", o->words, "what to search for (taken literally; several words must all occur)")
      ->required()
      ->expected(1, -1);
  FilterOptions& f = o->filter;
  app.add_option("--status", f.status, "open, acknowledged, waiting, closed or all (default: all)");
  app.add_option("--kind", f.kind, "kind id(s)");
  app.add_option("--direction", f.direction, "internal or external");
  app.add_option("--dept", f.dept, "owner department id(s); me: the acting user's");
  app.add_option("--party", f.party, "party id(s)");
  app.add_option("--assignee", f.assignee, "assignee user id(s); me: the acting user");
  app.add_option("--topic", f.topic, "topic id(s)");
  app.add_option("--customer-ref", f.customer_ref, "the customer's own number(s) for it, exactly");
  app.add_option("--8d", f.eight_d, "8D report number(s), exactly");
  app.add_option("--their-ref", f.their_ref, "the sender's reference(s), exactly (repeat for several)");
  app.add_option("--since", f.since, "received at or after this time");
  app.add_option("--until", f.until, "received before this time");
  app.add_option("--limit", f.limit, "at most this many records, best first (default 50; 0 = all)");
  return [o, &env] { run_search(*o, env); };
}

}  // namespace liaison::cli
