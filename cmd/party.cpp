// liaison party add|list|show|edit: the registry of outside parties (联系数据库).
#include <iostream>

#include "common.h"
#include "errors.h"
#include "exchange.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

namespace {
nlohmann::json party_json(const Party& p, const Env& env) {
  nlohmann::json j = liaison::party_json(p);  // the registry fields (lib/services/exchange.h)
  j["created_at"] = env.calendar().format_iso(p.created_at);
  return j;
}
std::string type_name(const Env& env, const std::string& id) {
  const PartyType* t = env.config().party_type(id);
  return t ? t->name : id;
}
}  // namespace

struct PartyAddOptions {
  Party party;
};

Runner register_party_add(CLI::App& app, Env& env) {
  auto o = std::make_shared<PartyAddOptions>();
  app.add_option("name", o->party.name, "the party's name")->required();
  app.add_option("--id", o->party.id, "short code to refer to it by, e.g. svw")->required();
  app.add_option("--type", o->party.type, "party type id from the config (customer, supplier, …)")->required();
  app.add_option("--contact", o->party.contact, "contact person");
  app.add_option("--phone", o->party.phone, "phone");
  app.add_option("--email", o->party.email, "email");
  app.add_option("--address", o->party.address, "address");
  app.add_option("--notes", o->party.notes, "notes");
  return [o, &env] {
    Context ctx = env.context();
    add_party(ctx, o->party);
    if (!env.options.quiet) print(o->party.id + "\n");
  };
}

struct PartyListOptions {
  std::string type;
};

Runner register_party_list(CLI::App& app, Env& env) {
  auto o = std::make_shared<PartyListOptions>();
  app.add_option("--type", o->type, "only parties of this type");
  return [o, &env] {
    auto parties = list_parties(env.context(), o->type);
    const RenderOptions options = env.render_options();
    const Format f = options.format;
    const bool json = f == Format::json || f == Format::jsonl;
    RowWriter writer(std::cout, options);
    writer.begin({{"id", label(env, "id")},
                  {"name", label(env, "name"), false, true},
                  {"type", label(env, "type")},
                  {"contact", label(env, "contact")},
                  {"phone", label(env, "phone")},
                  {"email", label(env, "email")}});
    // The type's name in the table, its id in the other formats.
    for (const auto& p : parties) {
      if (json) {
        writer.object(party_json(p, env));
        continue;
      }
      writer.row(std::vector<std::string>{p.id, p.name, f == Format::table ? type_name(env, p.type) : p.type,
                                          p.contact, p.phone, p.email});
    }
    writer.end();
  };
}

struct PartyShowOptions {
  std::string id;
};

Runner register_party_show(CLI::App& app, Env& env) {
  auto o = std::make_shared<PartyShowOptions>();
  app.add_option("id", o->id, "party id")->required();
  return [o, &env] {
    Party p = read_party(env.context(), o->id);
    if (env.format() == Format::json) {
      print(render_json(party_json(p, env)));
      return;
    }
    print(render_fields({{label(env, "id"), p.id},
                         {label(env, "name"), p.name},
                         {label(env, "type"), type_name(env, p.type)},
                         {label(env, "contact"), p.contact},
                         {label(env, "phone"), p.phone},
                         {label(env, "email"), p.email},
                         {label(env, "address"), p.address},
                         {label(env, "notes"), p.notes}},
                        env.render_options()));
  };
}

struct PartyEditOptions {
  std::string id;
  Party values;  ///< the new values; only options given on the command line apply
};

Runner register_party_edit(CLI::App& app, Env& env) {
  auto o = std::make_shared<PartyEditOptions>();
  app.add_option("id", o->id, "party id")->required();
  std::vector<std::pair<CLI::Option*, std::optional<std::string> PartyEdit::*>> fields = {
      {app.add_option("--name", o->values.name, "new name"), &PartyEdit::name},
      {app.add_option("--type", o->values.type, "new party type"), &PartyEdit::type},
      {app.add_option("--contact", o->values.contact, "contact person"), &PartyEdit::contact},
      {app.add_option("--phone", o->values.phone, "phone"), &PartyEdit::phone},
      {app.add_option("--email", o->values.email, "email"), &PartyEdit::email},
      {app.add_option("--address", o->values.address, "address"), &PartyEdit::address},
      {app.add_option("--notes", o->values.notes, "notes"), &PartyEdit::notes}};
  return [o, fields, &env] {
    PartyEdit edit;
    for (const auto& [option, member] : fields)
      if (option->count() > 0) edit.*member = option->as<std::string>();
    Context ctx = env.context();
    Party p = edit_party(ctx, o->id, edit);
    if (!env.options.quiet) print(p.id + "\n");
  };
}

}  // namespace liaison::cli
