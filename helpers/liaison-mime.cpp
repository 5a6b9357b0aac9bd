// liaison-mime: reads one RFC 5322 message on standard input and writes what liaison
// mail-in needs of it as one JSON object on standard output (liaison-mail-in(1)).
//
// It is a program of its own, not part of the liaison binary, for two reasons. GMime
// brings GLib, GObject and GPGME with it as shared libraries, and loading them costs every
// liaison command about 5 ms (tests/bench); only mail-in needs them. And the MIME parser
// meets hostile input from the internet: here it runs in a process that holds no database
// handle, under the CPU and memory limits mail-in sets before starting it.
//
// Output: {"message_id", "subject", "from": {"name", "email"}, "to": [...], "cc": [...],
// "date": seconds since the epoch or null, "in_reply_to", "references": [message ids],
// "headers": [[name, decoded value], ...], "text", "text_from_html", "parts": [{"name",
// "media_type", "content" (base64)}]}. Every string is UTF-8: RFC 2047 words, RFC 2231
// file names and each part's charset (GB2312, GBK, GB18030, Big5, …) are converted by
// GMime through iconv; undeclared 8-bit header text is tried as UTF-8, then GB18030.
// A message that cannot be read as one (no From address, or nothing GMime can parse)
// gives {"error": "..."} and exit status 65.
#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

std::string text_of(const char* s) { return s ? std::string(s) : std::string(); }

/// Strings GMime decoded may still hold bytes that are not UTF-8 (a charset iconv does not
/// know); they are replaced, so the JSON is valid and liaison's edge check sees UTF-8.
std::string valid_utf8(const std::string& s) {
  if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return s;
  char* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(fixed);
  g_free(fixed);
  return out;
}

json addresses(InternetAddressList* list) {
  json out = json::array();
  if (!list) return out;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      out.push_back({{"name", valid_utf8(text_of(internet_address_get_name(a)))},
                     {"email", valid_utf8(text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))))}});
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      for (auto& member : addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a))))
        out.push_back(member);
    }
  }
  return out;
}

json message_ids(const char* header) {
  json out = json::array();
  if (!header) return out;
  GMimeReferences* refs = g_mime_references_parse(nullptr, header);
  if (!refs) return out;
  for (int i = 0; i < g_mime_references_length(refs); ++i)
    out.push_back(valid_utf8(text_of(g_mime_references_get_message_id(refs, i))));
  g_mime_references_free(refs);
  return out;
}

/// The text of an HTML document: script, style and head left out, blocks on lines of
/// their own, runs of white space inside text made one space.
void html_text(xmlNode* node, std::string& out) {
  for (xmlNode* n = node; n; n = n->next) {
    if (n->type == XML_TEXT_NODE && n->content) {
      bool space = !out.empty() && out.back() != '\n' && out.back() != ' ';
      for (const xmlChar* c = n->content; *c; ++c) {
        const bool nbsp = c[0] == 0xC2 && c[1] == 0xA0;  // &nbsp; is a space in text
        if (nbsp) ++c;
        if (nbsp || *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
          if (space) out += ' ';
          space = false;
        } else {
          out += static_cast<char>(*c);
          space = true;
        }
      }
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = reinterpret_cast<const char*>(n->name);
    if (name == "script" || name == "style" || name == "head" || name == "title") continue;
    static const char* blocks[] = {"p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5",
                                   "h6", "blockquote", "pre", "hr", "ul", "ol", "section", "article"};
    bool block = false;
    for (const char* b : blocks) block = block || name == b;
    if (block && !out.empty() && out.back() != '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
    html_text(n->children, out);
    if (block && !out.empty() && out.back() != '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
  }
}

std::string html_to_text(const std::string& html) {
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
  if (!doc) return {};
  std::string out;
  html_text(xmlDocGetRootElement(doc), out);
  xmlFreeDoc(doc);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out + (out.empty() ? "" : "\n");
}

std::string decoded_content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GMimeStream* memory = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, memory);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
  std::string out(reinterpret_cast<const char*>(bytes->data), bytes->len);
  g_object_unref(memory);
  return out;
}

std::string base64(const std::string& bytes) {
  gchar* encoded = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
  std::string out(encoded);
  g_free(encoded);
  return out;
}

struct Walk {
  std::string text;
  bool text_from_html = false;
  bool have_plain = false;
  std::string first_html;
  json parts = json::array();
};

bool is_type(GMimeObject* object, const char* type, const char* subtype) {
  return g_mime_content_type_is_type(g_mime_object_get_content_type(object), type, subtype);
}

void walk(GMimeObject* object, Walk& w) {
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multi = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(multi); ++i) walk(g_mime_multipart_get_part(multi, i), w);
    return;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {  // a forwarded message: kept whole, as name.eml
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (!inner) return;
    GMimeStream* memory = g_mime_stream_mem_new();
    g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, memory);
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
    std::string raw(reinterpret_cast<const char*>(bytes->data), bytes->len);
    g_object_unref(memory);
    std::string subject = valid_utf8(text_of(g_mime_message_get_subject(inner)));
    w.parts.push_back({{"name", (subject.empty() ? std::string("message") : subject) + ".eml"},
                       {"media_type", "message/rfc822"},
                       {"content", base64(raw)}});
    return;
  }
  if (!GMIME_IS_PART(object)) return;
  GMimePart* part = GMIME_PART(object);
  const bool attachment = g_mime_part_is_attachment(part) || g_mime_part_get_filename(part);
  if (!attachment && GMIME_IS_TEXT_PART(object) && is_type(object, "text", "plain") && !w.have_plain) {
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
    w.text = valid_utf8(text_of(text));
    g_free(text);
    w.have_plain = true;
    return;
  }
  if (!attachment && GMIME_IS_TEXT_PART(object) && is_type(object, "text", "html")) {
    if (w.first_html.empty()) {
      char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
      w.first_html = valid_utf8(text_of(text));
      g_free(text);
    }
    return;  // the HTML twin of the text, or the body when there is no plain text
  }
  if (!attachment && GMIME_IS_TEXT_PART(object) && is_type(object, "text", "plain")) {
    // A further inline text part (a signature block, a second body part): appended.
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
    w.text += "\n" + valid_utf8(text_of(text));
    g_free(text);
    return;
  }
  std::string name = valid_utf8(text_of(g_mime_part_get_filename(part)));
  char* type = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object));
  std::string media_type = text_of(type);
  g_free(type);
  if (name.empty()) name = "part-" + std::to_string(w.parts.size() + 1);
  w.parts.push_back({{"name", name}, {"media_type", media_type}, {"content", base64(decoded_content(part))}});
}

int fail(const std::string& why) {
  std::printf("%s\n", json{{"error", why}}.dump().c_str());
  return 65;
}

}  // namespace

int main() {
  g_mime_init();
  GMimeParserOptions* options = g_mime_parser_options_new();
  const char* fallback[] = {"UTF-8", "GB18030", nullptr};
  g_mime_parser_options_set_fallback_charsets(options, fallback);
  g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);

  // Read whole first: the parser wants a stream it can seek, and a pipe is not one.
  std::string raw;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0;) raw.append(buffer, n);
  if (std::ferror(stdin)) return fail("standard input cannot be read");
  GMimeStream* input = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(input);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage* message = g_mime_parser_construct_message(parser, options);
  if (!message) return fail("no RFC 5322 message could be read from the input");

  json from = addresses(g_mime_message_get_from(message));
  if (from.empty() || from[0]["email"].get<std::string>().empty())
    return fail("the message has no From address");

  json out;
  out["message_id"] = valid_utf8(text_of(g_mime_message_get_message_id(message)));
  out["subject"] = valid_utf8(text_of(g_mime_message_get_subject(message)));
  out["from"] = from[0];
  out["to"] = addresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO));
  out["cc"] = addresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC));
  GDateTime* date = g_mime_message_get_date(message);
  out["date"] = date ? json(g_date_time_to_unix(date)) : json(nullptr);
  GMimeObject* top = GMIME_OBJECT(message);
  out["in_reply_to"] = message_ids(g_mime_object_get_header(top, "In-Reply-To"));
  out["references"] = message_ids(g_mime_object_get_header(top, "References"));
  json headers = json::array();
  GMimeHeaderList* list = g_mime_object_get_header_list(top);
  for (int i = 0; i < g_mime_header_list_get_count(list); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    headers.push_back({valid_utf8(text_of(g_mime_header_get_name(h))), valid_utf8(text_of(g_mime_header_get_value(h)))});
  }
  out["headers"] = headers;

  Walk w;
  if (GMimeObject* body = g_mime_message_get_mime_part(message)) walk(body, w);
  if (!w.have_plain && !w.first_html.empty()) {
    w.text = html_to_text(w.first_html);
    w.text_from_html = true;
  }
  out["text"] = w.text;
  out["text_from_html"] = w.text_from_html;
  out["parts"] = w.parts;
  std::string text = out.dump();
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? 0 : 74;
}
