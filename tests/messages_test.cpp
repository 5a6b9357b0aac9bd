// Messages by id (lib/text/catalogue.inc, messages.h) and the transition path that
// translates English text by matching it against the catalogue (translate_message).
#include <doctest/doctest.h>

#include "messages.h"

using namespace liaison;

TEST_CASE("English passes through unchanged") {
  CHECK(translate_message(Lang::en, "no record EXT-2026-00001") == "no record EXT-2026-00001");
}

TEST_CASE("messages are translated with their values kept") {
  CHECK(translate_message(Lang::zh, "no record EXT-2026-00001") == "没有编号为 EXT-2026-00001 的记录");
  CHECK(translate_message(Lang::zh, "unknown department \"qualty\" for --to") == "--to 中的部门 \"qualty\" 不存在");
  CHECK(translate_message(Lang::zh, "did you mean \"quality\"?") == "是否是指 \"quality\"？");
  CHECK(translate_message(Lang::zh, "EXT-2026-00001 is already closed") == "EXT-2026-00001 已经关闭");
  CHECK(translate_message(Lang::zh, "give --party") == "请提供 --party");
}

TEST_CASE("values that are phrases of the catalog or labels are translated too") {
  CHECK(translate_message(Lang::zh, "the subject is empty") == "主题为空");
  CHECK(translate_message(Lang::zh, "an external complaint needs party") == "外部 complaint 必须填写 相关方");
}

TEST_CASE("the most specific template wins") {
  CHECK(translate_message(Lang::zh, "give --subject TEXT") == "请用 --subject 提供主题");  // not "give --{0}"
  CHECK(translate_message(Lang::zh, "give --party") == "请提供 --party");
  CHECK(translate_message(Lang::zh, "the query is empty") == "查询为空");  // not "{0} is empty"
  CHECK(translate_message(Lang::zh, "party \"x\" already exists") == "相关方 \"x\" 已存在");
}

TEST_CASE("a template matches the whole message, not a part of it") {
  CHECK(translate_message(Lang::zh, "no record X and more") == "没有编号为 X and more 的记录");
  CHECK(translate_message(Lang::zh, "prefix: no record X") == "prefix: no record X");
  CHECK(translate_message(Lang::zh, "something nobody translated") == "something nobody translated");
}

TEST_CASE("what a command did, in Chinese") {
  CHECK(translate_message(Lang::zh, "EXT-2026-00001: acknowledged") == "EXT-2026-00001：已确认");
  CHECK(translate_message(Lang::zh, "EXT-2026-00001: acknowledged — late") == "EXT-2026-00001：已确认（已超过确认时限）");
  CHECK(translate_message(Lang::zh, "EXT-2026-00001: closed (resolved)") == "EXT-2026-00001：已关闭（已解决）");
  CHECK(translate_message(Lang::zh, "EXT-2026-00001: call logged (event 4)") == "EXT-2026-00001：已记录电话（事件 4）");
  CHECK(translate_message(Lang::zh, "EXT-2026-00001: routed to 品质部 (gao.feng)") ==
        "EXT-2026-00001：已转交 品质部（gao.feng）");
}

// The catalogue (lib/text/catalogue.inc): every entry in both languages, with the same values.

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "errors.h"

namespace {

/// The indexes of the placeholders of a template ("{N}", "{N:t}", "{N:-}").
std::set<int> placeholder_indexes(std::string_view text) {
  std::set<int> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    std::size_t j = i + 1;
    int n = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') n = n * 10 + (text[j++] - '0');
    if (j > i + 1) out.insert(n);
  }
  return out;
}

}  // namespace

TEST_CASE("every entry of the catalogue has English and Chinese with the same placeholders") {
  std::set<std::string_view> names;
  for (const auto& e : kCatalogue) {
    CAPTURE(e.name);
    CHECK(!e.en.empty());
    CHECK(!e.zh.empty());
    CHECK(placeholder_indexes(e.en) == placeholder_indexes(e.zh));
    // No gaps: the values are {0} … {n-1}.
    auto indexes = placeholder_indexes(e.en);
    CHECK(indexes.size() == detail::placeholder_count(e.en));
    if (e.kind != MsgKind::message) CHECK(indexes.empty());
    if (e.kind == MsgKind::report) CHECK_MESSAGE(names.insert(e.name).second, "duplicate report key");
  }
}

TEST_CASE("the English of a label is found once (tr)") {
  std::set<std::string_view> english;
  for (const auto& e : kCatalogue)
    if (e.kind == MsgKind::label) CHECK_MESSAGE(english.insert(e.en).second, e.en);
}

TEST_CASE("a keyed message renders its values in either language") {
  Message m = msg<Msg::no_record>("EXT-2026-00001");
  CHECK(m.english() == "no record EXT-2026-00001");
  CHECK(m.render(Lang::zh) == "没有编号为 EXT-2026-00001 的记录");
  // Reordered values.
  Message u = msg<Msg::unknown_department>("qualty", "--to");
  CHECK(u.render(Lang::en) == "unknown department \"qualty\" for --to");
  CHECK(u.render(Lang::zh) == "--to 中的部门 \"qualty\" 不存在");
  // A value that is a message of its own is shown in the same language.
  Message e = msg<Msg::is_empty>(msg<Msg::the_subject>());
  CHECK(e.english() == "the subject is empty");
  CHECK(e.render(Lang::zh) == "主题为空");
  // A value shown translated ("{N:t}") that is a label.
  Message c = msg<Msg::closed_outcome>("EXT-2026-00001", "resolved");
  CHECK(c.render(Lang::zh) == "EXT-2026-00001：已关闭（已解决）");
  CHECK(c.english() == "EXT-2026-00001: closed (resolved)");
  // A value the Chinese does not need ("{N:-}").
  CHECK(msg<Msg::closed_cannot>("X", "routed").render(Lang::zh) == "X 已关闭，不能再处理");
  CHECK(msg<Msg::closed_cannot>("X", "routed").english() == "X is closed and cannot be routed");
  // Numbers.
  CHECK(msg<Msg::logged_event>("X", "call", 4).render(Lang::zh) == "X：已记录电话（事件 4）");
}

TEST_CASE("an error carries its message and hint; what() is English") {
  NotFoundError e(msg<Msg::no_record>("X"), msg<Msg::check_reference_liaison_list_status_all>());
  CHECK(std::string(e.what()) == "no record X");
  CHECK(e.hint() == "check the reference with 'liaison list --status all'");
  CHECK(e.code() == ExitCode::not_found);
  REQUIRE(e.message().id());
  CHECK(*e.message().id() == Msg::no_record);
  CHECK(e.message().render(Lang::zh) == "没有编号为 X 的记录");
  CHECK(e.hint_message().render(Lang::zh) == "请用 'liaison list --status all' 核对编号");
}

TEST_CASE("the transition path gives what the keyed message gives") {
  // For every message, English rendered from the catalogue and matched back gives the
  // Chinese the catalogue renders directly, unless an earlier, more specific entry takes it.
  int shadowed = 0;
  for (const auto& e : kCatalogue) {
    if (e.kind != MsgKind::message) continue;
    std::vector<MessageArg> args;
    for (std::size_t i = 0; i < detail::placeholder_count(e.en); ++i) args.emplace_back("<" + std::to_string(i) + ">");
    Message m(e.id, args);
    std::string zh = m.render(Lang::zh);
    std::string matched = translate_message(Lang::zh, m.english());
    if (matched != zh) {
      ++shadowed;
      MESSAGE(e.name, ": ", m.english(), " -> ", matched, " (keyed: ", zh, ")");
    }
  }
  CHECK(shadowed == 0);
}

TEST_CASE("what a store cannot do and a failed write, in either language") {
  // The capability is a phrase of the catalogue, shown translated.
  Message m = msg<Msg::store_url_cannot>("sqlite:x.db", "search text");
  CHECK(m.english() == "this store (sqlite:x.db) cannot search text");
  CHECK(m.render(Lang::zh) == "此存储（sqlite:x.db）不能检索全文");
  CHECK(msg<Msg::store_cannot>("run auditor queries").render(Lang::zh) == "此存储不能执行审计查询");
  OutputError e = write_failed(msg<Msg::standard_output>(), ENOSPC);
  CHECK(e.code() == ExitCode::io);
  CHECK(e.error_number == ENOSPC);
  CHECK(std::string(e.what()) == std::string("cannot write to standard output: ") + std::strerror(ENOSPC));
  CHECK(e.message().render(Lang::zh) == std::string("无法写入标准输出：") + std::strerror(ENOSPC));
  CHECK(e.hint() == "make room on the disk, or send the output somewhere that can take it");
}
