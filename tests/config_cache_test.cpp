// The validated-config cache (lib/config/config_cache.cpp).
#include <sys/stat.h>

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_cache.h"
#include "fixture.h"

using namespace liaison;
namespace fs = std::filesystem;

namespace {

using liaison::test::TempDir;

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".bin";
  return n;
}

void write(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("every example config survives the cache unchanged") {
  for (const char* example : {"minimal", "manufacturing"}) {
    CAPTURE(example);
    Config parsed = load_config(std::string(LIAISON_SOURCE_DIR) + "/examples/" + example + "/liaison.toml");
    CHECK(config_from_cache(config_to_cache(parsed)) == parsed);
  }
}

TEST_CASE("[report] and [remind] survive the cache") {
  Config parsed = parse_config(R"toml([organization]
top = "gm"
[[department]]
id = "gm"
[[kind]]
id = "complaint"
[[kind]]
id = "idea"
[report]
complaint_kinds = ["complaint", "idea"]
suggestion_kinds = ["idea"]
top_parties = 7
[remind]
sendmail = "/usr/lib/sendmail -t"
from = "liaison@example.cn"
interval = "8wh"
[[remind.escalate]]
after = "2wd"
to = "head"
[[remind.escalate]]
after = "5wd"
to = "top"
)toml", "test.toml");
  Config cached = config_from_cache(config_to_cache(parsed));
  CHECK(cached == parsed);
  CHECK(cached.report.complaint_kinds == std::vector<std::string>{"complaint", "idea"});
  CHECK(cached.report.top_parties == 7);
  CHECK(cached.remind.from == "liaison@example.cn");
  CHECK(cached.remind.interval == Duration{8, DurationUnit::working_hours});
  REQUIRE(cached.remind.escalate.size() == 2);
  CHECK(cached.remind.escalate[1].to == "top");
  CHECK(cached.remind.escalate[1].pos == parsed.remind.escalate[1].pos);
}

TEST_CASE("warnings survive the cache as messages, still rendered in either language") {
  // A rule that sets nothing (a message with a value) and [organization] top unset (a
  // message nested in none), and a rule never taking effect (values that are messages).
  Config parsed = parse_config(R"toml([organization]
name = "x"
[[department]]
id = "gm"
[[kind]]
id = "complaint"
[[rule]]
when = { kind = "complaint" }
[[rule]]
when = {}
owner = "gm"
[[rule]]
when = { kind = "complaint" }
owner = "gm"
)toml", "test.toml");
  REQUIRE(parsed.warnings.size() == 3);
  Config cached = config_from_cache(config_to_cache(parsed));
  CHECK(cached == parsed);
  for (std::size_t i = 0; i < parsed.warnings.size(); ++i) {
    CHECK(cached.warnings[i].format() == parsed.warnings[i].format());
    CHECK(cached.warnings[i].format(Lang::zh) == parsed.warnings[i].format(Lang::zh));
  }
  CHECK(cached.warnings[1].format(Lang::zh) == "test.toml:7:1：警告：rule 1 没有设置任何内容"
                                               "（请为它设置 owner、assignee、notify、escalate 或 major，或删除它）");
  // An entry naming a message this build does not know is not read (the file is parsed again).
  std::string bytes = config_to_cache(parsed);
  auto at = bytes.find("cfg_rule_sets_nothing");
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 3, "xyz");
  CHECK_THROWS(config_from_cache(bytes));
}

TEST_CASE("load_config_cached stores an entry, reads it back, and follows edits") {
  TempDir tmp;
  fs::path cache = tmp.path() / "cache";
  fs::path file = tmp.path() / "liaison.toml";
  std::string text = read(std::string(LIAISON_SOURCE_DIR) + "/examples/minimal/liaison.toml");
  write(file, text);

  Config first = load_config_cached(file.string(), cache.string(), 0);
  CHECK(first == load_config(file.string()));
  CHECK(entries(cache) == 1);
  Config second = load_config_cached(file.string(), cache.string(), 0);  // from the entry
  CHECK(second == first);
  CHECK(entries(cache) == 1);

  // An edit is a new key: the new text is what counts.
  write(file, text + "\n[[channel]]\nid = \"fax\"\nname = \"Fax\"\n");
  Config edited = load_config_cached(file.string(), cache.string(), 0);
  CHECK(edited.channel("fax") != nullptr);
  CHECK(edited.hash != first.hash);
  CHECK(entries(cache) == 2);
}

TEST_CASE("a damaged entry is parsed again, and errors are never cached") {
  TempDir tmp;
  fs::path cache = tmp.path() / "cache";
  fs::path file = tmp.path() / "liaison.toml";
  write(file, read(std::string(LIAISON_SOURCE_DIR) + "/examples/minimal/liaison.toml"));
  Config good = load_config_cached(file.string(), cache.string(), 0);
  for (const auto& e : fs::directory_iterator(cache)) write(e.path(), "not a cached config");
  CHECK(load_config_cached(file.string(), cache.string(), 0) == good);
  // An entry cut short (a full disk, say) or with bytes left over is not used either.
  std::string whole = config_to_cache(good);
  CHECK_THROWS(config_from_cache(whole.substr(0, whole.size() / 2)));
  CHECK_THROWS(config_from_cache(whole + "x"));
  for (const auto& e : fs::directory_iterator(cache)) write(e.path(), whole.substr(0, whole.size() - 1));
  CHECK(load_config_cached(file.string(), cache.string(), 0) == good);

  write(file, "[organization\n");
  CHECK_THROWS_AS(load_config_cached(file.string(), cache.string(), 0), ConfigError);
  CHECK_THROWS_AS(load_config_cached(file.string(), cache.string(), 0), ConfigError);
}

TEST_CASE("an unwritable or disabled cache still loads the config") {
  TempDir tmp;
  fs::path file = tmp.path() / "liaison.toml";
  write(file, read(std::string(LIAISON_SOURCE_DIR) + "/examples/minimal/liaison.toml"));
  Config expected = load_config(file.string());
  write(tmp.path() / "not-a-folder", "x");
  CHECK(load_config_cached(file.string(), (tmp.path() / "not-a-folder" / "cache").string(), 0) == expected);
  CHECK(load_config_cached(file.string(), "", 0) == expected);
}

TEST_CASE("the cache keeps only the newest entries") {
  TempDir tmp;
  fs::path cache = tmp.path() / "cache";
  fs::path file = tmp.path() / "liaison.toml";
  std::string text = read(std::string(LIAISON_SOURCE_DIR) + "/examples/minimal/liaison.toml");
  for (int i = 0; i < 20; ++i) {
    write(file, text + "\n# edit " + std::to_string(i) + "\n");
    load_config_cached(file.string(), cache.string(), 0);
  }
  CHECK(entries(cache) == 16);
}

TEST_CASE("a file changed moments ago is not cached yet") {
  TempDir tmp;
  fs::path cache = tmp.path() / "cache";
  fs::path file = tmp.path() / "liaison.toml";
  write(file, read(std::string(LIAISON_SOURCE_DIR) + "/examples/minimal/liaison.toml"));
  Config config = load_config_cached(file.string(), cache.string(), 3600);
  CHECK(config == load_config(file.string()));
  CHECK(entries(cache) == 0);
}

TEST_CASE("rewriting the file with the same size and times is still seen") {
  TempDir tmp;
  fs::path cache = tmp.path() / "cache";
  fs::path file = tmp.path() / "liaison.toml";
  std::string text = read(std::string(LIAISON_SOURCE_DIR) + "/examples/minimal/liaison.toml");
  write(file, text);
  auto when = fs::last_write_time(file);
  CHECK(load_config_cached(file.string(), cache.string(), 0).organization.name == "Example Widgets Ltd");
  // Same length, same modification time put back: the status-change time still moves.
  std::string renamed = text;
  renamed.replace(renamed.find("Example Widgets Ltd"), 19, "Example Gadgets Ltd");
  // The status-change time moves with the clock's tick, which may be coarse: write again
  // until the kernel has given the file a new one (bounded; a tick is milliseconds).
  auto ctime_of = [&] {
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    return std::pair{st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
  };
  const auto first_ctime = ctime_of();
  for (int attempt = 0; attempt < 1000000; ++attempt) {
    write(file, renamed);
    fs::last_write_time(file, when);
    if (ctime_of() != first_ctime) break;
  }
  REQUIRE(ctime_of() != first_ctime);
  CHECK(load_config_cached(file.string(), cache.string(), 0).organization.name == "Example Gadgets Ltd");
}
