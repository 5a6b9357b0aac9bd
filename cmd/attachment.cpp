// liaison attachment list|get: the files attached to a record (file --attach, log
// --attach), listed, and one of them written out.
#include <unistd.h>

#include <fmt/format.h>

#include "attachments.h"
#include "common.h"
#include "errors.h"
#include "output.h"
#include "row_writer.h"

namespace liaison::cli {

namespace {

struct ListOptions {
  std::string ref;
};

void run_list(const ListOptions& o, Env& env) {
  Context ctx = env.context();
  std::vector<AttachmentView> all = list_attachments(ctx, o.ref);
  RenderOptions options = env.render_options();
  const Format format = options.format;
  const bool display = format == Format::table || format == Format::md;
  RowWriter writer(std::cout, options);
  writer.begin({{"n", display ? "#" : "n", true},
                {"name", display ? label(env, "name") : "name", false, true},
                {"media_type", display ? label(env, "media type") : "media_type"},
                {"size", display ? label(env, "size") : "size", true},
                {"at", display ? label(env, "at") : "at", false, false, true},
                {"actor", display ? label(env, "actor") : "actor"},
                {"event", display ? label(env, "event") : "event", true},
                {"sha256", "sha256", false, false, false, 1}});
  for (const auto& [a, redacted] : all) {
    if (format == Format::json || format == Format::jsonl) {
      nlohmann::json j = {{"n", a.n},
                          {"name", a.name},
                          {"media_type", redacted ? nlohmann::json(nullptr) : nlohmann::json(a.media_type)},
                          {"size", redacted ? nlohmann::json(nullptr) : nlohmann::json(a.size)},
                          {"sha256", redacted ? nlohmann::json(nullptr) : nlohmann::json(a.sha256)},
                          {"at", env.calendar().format_iso(a.at)},
                          {"actor", a.actor},
                          {"event", a.event_id},
                          {"redacted", redacted}};
      writer.object(j);
      continue;
    }
    writer.row(std::vector<std::string>{std::to_string(a.n), a.name, a.media_type,
                                        redacted ? "" : std::to_string(a.size), env.show_time(a.at), a.actor,
                                        std::to_string(a.event_id), a.sha256});
  }
  writer.end();
}

struct GetOptions {
  std::string ref;
  std::string which;
  std::string out;
};

void run_get(const GetOptions& o, Env& env) {
  // Bytes of a PDF or a photo on a terminal can reprogram it: refused before anything is read.
  if (o.out.empty() && ::isatty(STDOUT_FILENO) == 1)
    throw UsageError(msg<Msg::attachment_to_terminal>(), msg<Msg::redirect_or_out>());
  Context ctx = env.context();
  AttachmentContent got = get_attachment(ctx, o.ref, o.which);
  if (o.out.empty()) {
    std::cout.write(got.content.data(), static_cast<std::streamsize>(got.content.size()));
    return;
  }
  write_file(o.out, [&](std::ostream& out) {
    out.write(got.content.data(), static_cast<std::streamsize>(got.content.size()));
  });
  if (!env.options.quiet)
    say(env, msg<Msg::attachment_got>(got.attachment.n, o.ref, got.attachment.name, got.attachment.size, o.out));
}

}  // namespace

Runner register_attachment_list(CLI::App& app, Env& env) {
  auto o = std::make_shared<ListOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  return [o, &env] { run_list(*o, env); };
}

Runner register_attachment_get(CLI::App& app, Env& env) {
  auto o = std::make_shared<GetOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("attachment", o->which, "the attachment's number or name (see attachment list)")->required();
  app.add_option("--out", o->out, "write it to FILE (through a temporary file) instead of standard output");
  return [o, &env] { run_get(*o, env); };
}

}  // namespace liaison::cli
