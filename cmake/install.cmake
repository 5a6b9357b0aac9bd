# What `cmake --install` installs, and the Debian package CPack builds from it (`cpack -G
# DEB` in the build folder; README "Install"). Everything under the prefix (/usr for the
# package):
#   bin/liaison                                       stripped with --strip (and in the .deb)
#   share/man/man1, man5, man7                        the manual pages
#   share/bash-completion/completions/liaison         the completion scripts, written by
#   share/zsh/vendor-completions/_liaison             the built binary
#   share/fish/vendor_completions.d/liaison.fish
#   lib/liaison/liaison_fts.so                        the search tokenizer for sqlite3's .load
#   lib/liaison/liaison-mime                          the MIME parser behind `liaison mail-in`
#   share/doc/liaison/                                README, examples/ and postgresql-grants.sql
include(GNUInstallDirs)
# `make install` and cpack install what is built, without first building everything
# (the unit tests and fuzz targets): build the liaison and liaison_completions targets,
# or all, before.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

install(TARGETS liaison RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# A private plugin of the package, at one path whatever the prefix (liaison-search(1)).
install(TARGETS liaison_fts LIBRARY DESTINATION lib/liaison)
# mail-in runs it from PREFIX/lib/liaison beside PREFIX/bin (lib/mail/inbound.cpp, mime_helper_path).
install(TARGETS liaison-mime RUNTIME DESTINATION lib/liaison)

foreach(section 1 5 7)
  file(GLOB pages CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.${section})
  install(FILES ${pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

install(FILES ${COMPLETIONS_DIR}/liaison DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${COMPLETIONS_DIR}/_liaison DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${COMPLETIONS_DIR}/liaison.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The privileges of the PostgreSQL roles, for an administrator to run (liaison-postgresql(7)).
install(FILES ${CMAKE_SOURCE_DIR}/schemas/postgres/grants.sql DESTINATION ${CMAKE_INSTALL_DOCDIR}
  RENAME postgresql-grants.sql)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
  USE_SOURCE_PERMISSIONS)

# The .deb: Depends are worked out by dpkg-shlibdeps (dpkg-dev) from the installed ELF
# files — libc, libstdc++, libdate-tz, libutf8proc for the extension, libgmime and libxml2
# for liaison-mime (SQLite, OpenSSL and utf8proc are linked into the binary statically) — plus tzdata, which date-tz reads.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME liaison)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "internal and external communication records (ISO 9001 7.4)")
set(CPACK_PACKAGE_DESCRIPTION "liaison files complaints, inquiries, suggestions, notices and other
communication records, routes them to the responsible department, computes their
deadlines on the working calendar and keeps a hash-chained history of each.")
set(CPACK_PACKAGE_CONTACT "liaison maintainers <liaison@example.cn>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, libmagic-mgc")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "default-mta | mail-transport-agent")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3, bash-completion")
include(CPack)
