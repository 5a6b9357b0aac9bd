# Writes OUT: a C++ file defining NAMESPACE::embedded_migrations() (declared in HEADER),
# one entry per SCHEMA_DIR/NNNN_name.sql, in numeric order. Raw string literals keep the
# SQL verbatim. Only numbered files are migrations (schemas/views.sql is embedded by
# embed_views.cmake). NAMESPACE and HEADER default to SQLite's: liaison, migrations.h.
if(NOT NAMESPACE)
  set(NAMESPACE liaison)
endif()
if(NOT HEADER)
  set(HEADER migrations.h)
endif()
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
file(WRITE ${OUT}.tmp "// Generated from schemas/*.sql by cmake/embed_schemas.cmake. Do not edit.\n#include \"${HEADER}\"\nnamespace ${NAMESPACE} {\nconst std::vector<Migration>& embedded_migrations() {\n  static const std::vector<Migration> all = {\n${body}  };\n  return all;\n}\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
