// Files attached to records: read at the edge (`file --attach`, `log --attach`), their
// media type found by libmagic from the bytes, kept by the store once per SHA-256, listed
// in the data of the event that added them (so the chain's hash covers each digest), read
// back by those cleared for the record (`attachment list`, `attachment get`), and checked
// by `audit verify`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.h"
#include "messages.h"
#include "model.h"
#include "services.h"
#include "store.h"

namespace liaison {

/// Whether `name` may name an attachment: not empty, not "." or "..", no control
/// character (it is printed in tables and mail headers). UTF-8 is checked apart.
bool usable_attachment_name(std::string_view name);

/// Reads the file at `path` to attach. NotFoundError (exit 4) when it cannot be read;
/// DataError (exit 65) when it is not a regular file, or is larger than `max_size` bytes
/// (found before it is read), or its name is not UTF-8 or holds a control character.
NewAttachment read_attachment_file(const std::string& path, std::size_t max_size);

/// The media type libmagic finds in `content` ("image/jpeg", "application/pdf",
/// "text/plain" …). StoreError when libmagic's database cannot be loaded.
std::string detect_media_type(std::string_view content);

/// Checks files about to be attached, before anything is written: each name as
/// read_attachment_file checks it, each size within [attachments] max_size. DataError.
void check_attachments(const Config& config, const std::vector<NewAttachment>& files);

/// Attachments described for an event before it is appended, and stored once it is.
struct PendingAttachments {
  std::vector<Attachment> rows;          ///< record_id, n, name, media_type, size, sha256 set
  std::vector<const NewAttachment*> files;
  /// The event data's "attachments": [{media_type, n, name, sha256, size}, …].
  nlohmann::json data() const;
};
/// Numbers `files` after the record's attachments and describes them (SHA-256, media
/// type). StoreError when the store keeps no attachments. Call inside the write transaction.
PendingAttachments prepare_attachments(Store& store, std::int64_t record_id, const std::vector<NewAttachment>& files);
/// Stores what prepare_attachments described, as added by event `event_id`.
void store_attachments(Store& store, PendingAttachments& pending, std::int64_t event_id);

/// One attachment as a reader may see it: below the record's level, only that it exists
/// (its number, when and by whom): name, media type, size and digest are withheld.
struct AttachmentView {
  Attachment attachment;
  bool redacted = false;
};
/// `liaison attachment list REF`: the record's attachments by number. NotFoundError when
/// there is no such record.
std::vector<AttachmentView> list_attachments(Context& ctx, const std::string& ref);

/// `liaison attachment get REF NAME|N`: one attachment and its bytes. `which` is its
/// number or its name. PermissionError (exit 77) below the record's level; NotFoundError
/// (exit 4, with "did you mean") when the record has no such attachment; DataError when
/// a name names several (give the number).
struct AttachmentContent {
  Attachment attachment;
  std::string content;
};
AttachmentContent get_attachment(Context& ctx, const std::string& ref, const std::string& which);

/// The attachments an event's data lists, by number; empty when none (or not JSON).
std::map<std::int64_t, Attachment> attachments_in_event(const Event& event);

/// What `audit verify` finds wrong with the attachments: the first problem, if any.
struct AttachmentCheck {
  std::int64_t attachments = 0;           ///< attachment rows checked
  std::optional<Message> problem;         ///< the first that does not match the history
};
/// Checks every stored attachment against the event that added it (its data lists the
/// attachment with the same name, media type, size and digest) and its bytes against
/// the digest, and every attachment an event lists against the rows. `listed` maps event
/// ids to the attachments their data lists, as collected from the history.
AttachmentCheck check_attachments_against(Store& store, const std::map<std::int64_t, std::map<std::int64_t, Attachment>>& listed);

}  // namespace liaison
