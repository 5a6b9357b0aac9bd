// Chinese messages at the command-line edge (lib/text/messages.cpp).
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
