# Writes OUT: a C++ file defining liaison::query_views_sql(), the text of VIEWS
# (schemas/views.sql) as a raw string literal, verbatim.
file(READ ${VIEWS} sql)
file(WRITE ${OUT}.tmp "// Generated from schemas/views.sql by cmake/embed_views.cmake. Do not edit.\n#include \"query.h\"\nnamespace liaison {\nconst char* query_views_sql() {\n  return R\"liaisonsql(${sql})liaisonsql\";\n}\n}  // namespace liaison\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
