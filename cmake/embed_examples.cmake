# Writes OUT: a C++ file defining liaison::example_config(name) with the text of
# examples/<name>/liaison.toml, so `liaison init` can write one without the source tree.
set(body "")
foreach(name minimal manufacturing)
  file(READ ${EXAMPLES_DIR}/${name}/liaison.toml text)
  string(APPEND body "  if (name == \"${name}\") return R\"liaisontoml(${text})liaisontoml\";\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from examples/*/liaison.toml by cmake/embed_examples.cmake. Do not edit.\n#include \"examples.h\"\nnamespace liaison {\nstd::optional<std::string_view> example_config(std::string_view name) {\n${body}  return std::nullopt;\n}\n}  // namespace liaison\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
