# Writes OUT: a C++ file defining liaison::embedded_migrations(), one entry per
# SCHEMA_DIR/NNNN_name.sql, in numeric order. Raw string literals keep the SQL verbatim.
# Only numbered files are migrations (schemas/views.sql is embedded by embed_views.cmake).
file(GLOB files ${SCHEMA_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" num ${name})
  math(EXPR num "${num} + 0")
  file(READ ${f} sql)
  string(APPEND body "    {${num}, \"${name}\", R\"liaisonsql(${sql})liaisonsql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from schemas/*.sql by cmake/embed_schemas.cmake. Do not edit.\n#include \"migrations.h\"\nnamespace liaison {\nconst std::vector<Migration>& embedded_migrations() {\n  static const std::vector<Migration> all = {\n${body}  };\n  return all;\n}\n}  // namespace liaison\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
