// Messages by key: one catalogue (catalogue.inc) gives every message and label a stable id,
// its English and its Chinese. The library builds a Message — an id and its values — and
// the command-line edge renders it in the user's language; English (what()) is for logs
// and tests. Rewording the English of an entry keeps its Chinese.
#pragma once
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "i18n.h"

namespace liaison {

/// The id of every entry of the catalogue; a misspelt id does not compile.
enum class Msg : std::uint16_t {
#define MSG(id, en, zh) id,
#define LABEL(id, en, zh) id,
#define REPORT(id, key, en, zh) id,
#define HELP(en, zh)
#include "catalogue.inc"
#undef MSG
#undef LABEL
#undef REPORT
#undef HELP
};

/// What an entry is: a message, a label (tr), or a title of the report (report_label).
enum class MsgKind : std::uint8_t { message, label, report };

/// One entry of the catalogue.
struct CatalogueEntry {
  Msg id;
  MsgKind kind;
  std::string_view name;  ///< the id as written ("no_record"), or the report's dotted key
  std::string_view en;
  std::string_view zh;
};

/// The catalogue, indexed by Msg.
inline constexpr CatalogueEntry kCatalogue[] = {
#define MSG(id, en, zh) {Msg::id, MsgKind::message, #id, en, zh},
#define LABEL(id, en, zh) {Msg::id, MsgKind::label, #id, en, zh},
#define REPORT(id, key, en, zh) {Msg::id, MsgKind::report, key, en, zh},
#define HELP(en, zh)
#include "catalogue.inc"
#undef MSG
#undef LABEL
#undef REPORT
#undef HELP
};

/// One text of --help (a command's summary, an option's description, a heading of
/// CLI11's): it has no id, since the code that shows it names it by its English.
struct HelpText {
  std::string_view en;
  std::string_view zh;
};

/// The HELP entries of the catalogue, in its order.
inline constexpr HelpText kHelpTexts[] = {
#define MSG(id, en, zh)
#define LABEL(id, en, zh)
#define REPORT(id, key, en, zh)
#define HELP(en, zh) {en, zh},
#include "catalogue.inc"
#undef MSG
#undef LABEL
#undef REPORT
#undef HELP
};

/// The help text whose English is `english`, in `lang`; nullopt when the catalogue has
/// none (the English is then shown, and `liaison __help-untranslated` lists it).
std::optional<std::string_view> find_help_text(Lang lang, std::string_view english);
/// find_help_text, or the English itself.
inline std::string_view help_text(Lang lang, std::string_view english) {
  return find_help_text(lang, english).value_or(english);
}

namespace detail {
constexpr bool catalogue_is_indexed_by_id() {
  for (std::size_t i = 0; i < std::size(kCatalogue); ++i)
    if (static_cast<std::size_t>(kCatalogue[i].id) != i) return false;
  return true;
}
/// How many values a template takes: one more than its highest "{N}".
constexpr std::size_t placeholder_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    std::size_t n = 0;
    bool digits = false;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      n = n * 10 + static_cast<std::size_t>(text[i] - '0');
      digits = true;
    }
    if (digits) count = std::max(count, n + 1);
  }
  return count;
}
}  // namespace detail
static_assert(detail::catalogue_is_indexed_by_id(), "kCatalogue must list the entries in the order of Msg");

/// The entry of `id`.
constexpr const CatalogueEntry& catalogue_entry(Msg id) { return kCatalogue[static_cast<std::size_t>(id)]; }
/// The text of an entry that takes no values (a label, a title of the report) in `lang`.
constexpr std::string_view text_of(Msg id, Lang lang) {
  return lang == Lang::zh ? catalogue_entry(id).zh : catalogue_entry(id).en;
}
/// How many values the message `id` takes.
constexpr std::size_t message_arity(Msg id) { return detail::placeholder_count(catalogue_entry(id).en); }
/// The message whose id is written `name` ("no_record"), or nullopt: how a Message is read
/// back from bytes that name it (the config cache).
std::optional<Msg> message_named(std::string_view name);

class Message;

/// One value of a message: text as it is, or a message of its own (a phrase shown in the
/// same language as the message around it).
struct MessageArg {
  std::string text;
  std::shared_ptr<const Message> message;

  MessageArg(std::string t) : text(std::move(t)) {}  // NOLINT: values convert implicitly
  MessageArg(std::string_view t) : text(t) {}        // NOLINT
  MessageArg(const char* t) : text(t) {}             // NOLINT
  template <std::integral T>
  MessageArg(T n) : text(std::to_string(n)) {}  // NOLINT
  MessageArg(Message m);                        // NOLINT
};

/// A message of the catalogue with its values, rendered in either language.
class Message {
 public:
  /// No message (an absent hint).
  Message() = default;
  Message(Msg id, std::vector<MessageArg> args) : id_(id), args_(std::move(args)) {}

  /// The message in `lang`.
  std::string render(Lang lang) const;
  /// The message in English (what(), logs, tests).
  std::string english() const { return render(Lang::en); }
  bool empty() const { return !id_ && text_.empty(); }
  /// The id, or nullopt for untranslated English text.
  std::optional<Msg> id() const { return id_; }
  const std::vector<MessageArg>& args() const { return args_; }

  /// The same id and values (nested messages compared by content), or the same English text.
  friend bool operator==(const Message& a, const Message& b);

 private:
  std::optional<Msg> id_;
  std::string text_;
  std::vector<MessageArg> args_;
};

inline MessageArg::MessageArg(Message m) : message(std::make_shared<const Message>(std::move(m))) {}

/// The message `id` with its values, in the order of the English "{0}", "{1}" …; the
/// number of values is checked when compiling.
template <Msg id, typename... Args>
Message msg(Args&&... args) {
  static_assert(sizeof...(Args) == message_arity(id), "wrong number of values for this message");
  return Message(id, std::vector<MessageArg>{MessageArg(std::forward<Args>(args))...});
}

/// A template of the catalogue in `lang` with `values` put in (for tests and renderers):
/// "{N}" takes value N, "{N:t}" value N translated, "{N:-}" nothing.
std::string fill_template(std::string_view pattern, const std::vector<std::string>& values, Lang lang);

/// Transition path, for code that still produces English text (Message::english_text), and
/// how a "{N:t}" value given as text (a label: a status, an outcome) is shown: the text in
/// `lang`. It is matched against the English of the catalogue's messages, in which "{N}"
/// stands for any text (names, references, times), and rendered with the Chinese and the
/// same values; a text that matches none is looked up as a label (tr), else returned as is.
/// A template that is only a value ("{0}") is never matched.
std::string translate_message(Lang lang, std::string_view english);

}  // namespace liaison
