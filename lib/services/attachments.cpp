// Attachments (attachments.h): reading a file at the edge, libmagic, the event data that
// lists them, the reads redacted by level, and the check `audit verify` makes.
#include "attachments.h"

#include <fcntl.h>
#include <magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "errors.h"
#include "hash.h"
#include "ids.h"
#include "input.h"

namespace liaison {

namespace {

/// DataError unless `name` is UTF-8, not empty, within limits::kId and free of control
/// characters (it is printed in tables and mail headers).
void check_name(const std::string& name) {
  check_text(msg<Msg::the_attachment_name>(), name, limits::kId);
  if (!usable_attachment_name(name))
    throw DataError(msg<Msg::attachment_name_unusable>(name), msg<Msg::rename_attachment>());
}

void check_size(const std::string& name, std::uint64_t size, std::size_t max_size) {
  if (size > max_size)
    throw DataError(msg<Msg::attachment_too_large>(name, size, max_size),
                    msg<Msg::attach_smaller_or_raise_max>(limits::kMaxAttachment));
}

}  // namespace

bool usable_attachment_name(std::string_view name) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  return !name.empty() && !control && name != "." && name != "..";
}

NewAttachment read_attachment_file(const std::string& path, std::size_t max_size) {
  NewAttachment file;
  file.name = std::filesystem::path(path).filename().string();
  check_name(file.name);
  // Opened once and checked through the descriptor: what is measured is what is read.
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    throw NotFoundError(msg<Msg::cannot_read_attachment>(path, std::strerror(errno)),
                        msg<Msg::check_file_s_name_permissions>());
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    throw DataError(msg<Msg::attachment_not_regular_file>(path), msg<Msg::attach_regular_file>());
  check_size(file.name, static_cast<std::uint64_t>(st.st_size), max_size);
  file.content.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < file.content.size()) {
    ssize_t n = ::read(fd, file.content.data() + done, file.content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw NotFoundError(msg<Msg::cannot_read_attachment>(path, std::strerror(errno)),
                          msg<Msg::check_file_s_name_permissions>());
    if (n == 0) break;  // it shrank meanwhile: what was there is what is kept
    done += static_cast<std::size_t>(n);
  }
  file.content.resize(done);
  return file;
}

std::string detect_media_type(std::string_view content) {
  struct Cookie {
    magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    ~Cookie() {
      if (cookie) magic_close(cookie);
    }
  };
  static Cookie magic;  // loaded once per process, on first use
  static const bool loaded = magic.cookie && magic_load(magic.cookie, nullptr) == 0;
  auto failed = [&] {
    const char* why = magic.cookie ? magic_error(magic.cookie) : nullptr;
    return StoreError(msg<Msg::cannot_detect_media_type>(why ? why : std::strerror(errno)), msg<Msg::install_libmagic_mgc>());
  };
  if (!loaded) throw failed();
  const char* type = magic_buffer(magic.cookie, content.data(), content.size());
  if (!type) throw failed();
  return type;
}

void check_attachments(const Config& config, const std::vector<NewAttachment>& files) {
  for (const auto& f : files) {
    check_name(f.name);
    check_size(f.name, f.content.size(), config.attachments.max_size);
  }
}

namespace {

/// The attachments of an existing store: StoreError when it keeps none.
AttachmentStore& kept_attachments(Store& store) {
  return require(store, store.attachment_store(), msg<Msg::can_keep_attachments>());
}

}  // namespace

nlohmann::json PendingAttachments::data() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : rows)
    list.push_back({{"n", a.n}, {"name", a.name}, {"media_type", a.media_type}, {"size", a.size}, {"sha256", a.sha256}});
  return list;
}

PendingAttachments prepare_attachments(Store& store, std::int64_t record_id, const std::vector<NewAttachment>& files) {
  PendingAttachments pending;
  if (files.empty()) return pending;
  auto& kept = kept_attachments(store);
  std::int64_t n = record_id ? static_cast<std::int64_t>(kept.attachments_for(record_id).size()) : 0;
  for (const auto& f : files) {
    Attachment a;
    a.record_id = record_id;
    a.n = ++n;
    a.name = f.name;
    a.media_type = detect_media_type(f.content);
    a.size = static_cast<std::int64_t>(f.content.size());
    a.sha256 = sha256_hex(f.content);
    pending.rows.push_back(std::move(a));
    pending.files.push_back(&f);
  }
  return pending;
}

void store_attachments(Store& store, PendingAttachments& pending, std::int64_t event_id) {
  if (pending.rows.empty()) return;
  auto& kept = kept_attachments(store);
  for (std::size_t i = 0; i < pending.rows.size(); ++i) {
    Attachment& a = pending.rows[i];
    a.event_id = event_id;
    kept.put_blob(a.sha256, pending.files[i]->content);
    kept.insert_attachment(a);
  }
}

std::vector<AttachmentView> list_attachments(Context& ctx, const std::string& ref) {
  Record r = get_record(ctx.store, ref);
  auto& kept = kept_attachments(ctx.store);
  const bool may_read = ctx.access().may_read(r.level);
  std::vector<AttachmentView> views;
  for (auto& a : kept.attachments_for(r.id)) {
    AttachmentView v{std::move(a), !may_read};
    if (v.redacted) {
      ctx.access().note_redacted();
      v.attachment.name = std::string(redaction_mark(ctx.lang));
      v.attachment.media_type.clear();
      v.attachment.sha256.clear();
      v.attachment.size = 0;
    }
    views.push_back(std::move(v));
  }
  return views;
}

AttachmentContent get_attachment(Context& ctx, const std::string& ref, const std::string& which) {
  Record r = get_record(ctx.store, ref);
  auto& kept = kept_attachments(ctx.store);
  // Below the record's level nothing is said of its attachments beyond `list`: not even
  // whether a name is among them.
  if (!ctx.access().may_read(r.level))
    throw PermissionError(msg<Msg::may_not_read_attachments>(ctx.actor, r.ref),
                          msg<Msg::ask_someone_cleared_for>(r.level));
  if (r.purged_at)
    throw NotFoundError(msg<Msg::attachments_purged>(r.ref, ctx.calendar.format_iso(*r.purged_at)),
                        msg<Msg::purge_keeps_no_file>());
  std::vector<Attachment> all = kept.attachments_for(r.id);
  std::vector<const Attachment*> found;
  const bool number = !which.empty() && std::all_of(which.begin(), which.end(), [](char c) { return c >= '0' && c <= '9'; });
  for (const auto& a : all)
    if (number ? which.size() <= 18 && a.n == std::stoll(which) : a.name == which) found.push_back(&a);
  if (found.empty()) {
    std::vector<std::string> names;
    for (const auto& a : all) names.push_back(a.name);
    throw NotFoundError(msg<Msg::no_attachment>(r.ref, which),
                        number || names.empty() ? msg<Msg::see_attachment_list>(r.ref)
                                                : did_you_mean_hint(which, names, msg<Msg::see_attachment_list>(r.ref)));
  }
  if (found.size() > 1) {
    std::string numbers;
    for (const auto* a : found) numbers += (numbers.empty() ? "" : ", ") + std::to_string(a->n);
    throw DataError(msg<Msg::attachment_name_ambiguous>(which, r.ref, numbers), msg<Msg::give_attachment_number>());
  }
  AttachmentContent out{*found.front(), {}};
  auto content = kept.blob(out.attachment.sha256);
  // A row whose bytes are gone, or are not what the history says, is never handed out.
  if (!content || !sha256_hex_is(*content, out.attachment.sha256))
    throw StoreError(msg<Msg::attachment_bytes_altered>(r.ref, out.attachment.n), msg<Msg::run_audit_verify_restore>());
  out.content = std::move(*content);
  return out;
}

std::map<std::int64_t, Attachment> attachments_in_event(const Event& e) {
  std::map<std::int64_t, Attachment> listed;
  if (e.data.find("\"attachments\"") == std::string::npos) return listed;  // the common case: no parse
  auto data = nlohmann::json::parse(e.data, nullptr, false);
  if (!data.is_object() || !data.contains("attachments") || !data["attachments"].is_array()) return listed;
  for (const auto& item : data["attachments"]) {
    if (!item.is_object()) continue;
    Attachment a;
    a.record_id = e.record_id;
    a.event_id = e.id;
    a.n = item.value("n", std::int64_t{0});
    a.name = item.value("name", std::string());
    a.media_type = item.value("media_type", std::string());
    a.size = item.value("size", std::int64_t{-1});
    a.sha256 = item.value("sha256", std::string());
    listed[a.n] = std::move(a);
  }
  return listed;
}

AttachmentCheck check_attachments_against(
    Store& store, const std::map<std::int64_t, std::map<std::int64_t, Attachment>>& listed) {
  AttachmentCheck check;
  AttachmentStore* kept = store.attachment_store();
  // Every listed attachment must be found among the rows once.
  std::map<std::pair<std::int64_t, std::int64_t>, bool> seen;  // (event, n)
  // A purge empties the names in the history and may take the bytes (liaison purge): such
  // an attachment needs no bytes, and no row once an import has carried the tombstone.
  for (const auto& [event, items] : listed)
    for (const auto& [n, a] : items)
      if (!a.name.empty()) seen[{event, n}] = false;
  if (kept)
    kept->each_attachment([&](const Attachment& a, const std::optional<std::string>& content) {
      ++check.attachments;
      if (check.problem) return;
      auto event = listed.find(a.event_id);
      const Attachment* said = nullptr;
      if (event != listed.end())
        if (auto it = event->second.find(a.n); it != event->second.end()) said = &it->second;
      if (!said || said->record_id != a.record_id) {
        check.problem = msg<Msg::attachment_not_in_history>(a.record_id, a.n, a.event_id);
        return;
      }
      seen[{a.event_id, a.n}] = true;
      if (said->name != a.name || said->media_type != a.media_type || said->size != a.size || said->sha256 != a.sha256) {
        check.problem = msg<Msg::attachment_differs_from_history>(a.record_id, a.n, a.event_id);
        return;
      }
      if (said->name.empty() && (!content || content->empty())) return;
      if (!content || static_cast<std::int64_t>(content->size()) != a.size || !sha256_hex_is(*content, a.sha256))
        check.problem = msg<Msg::attachment_bytes_differ>(a.record_id, a.n, a.sha256);
    });
  if (!check.problem)
    for (const auto& [key, found] : seen)
      if (!found) {
        check.problem = msg<Msg::attachment_missing>(key.second, key.first);
        break;
      }
  return check;
}

}  // namespace liaison
