// The PostgreSQL store as open_store gives it: with `liaison backup`, which copies a
// snapshot into a SQLite file and so needs both engines (lib/store/store_copy.cpp).
#pragma once

#include <memory>
#include <string>

#include "store.h"

namespace liaison {

/// open_pg_store's store (lib/store/postgres/pg_store.h), with the OnlineBackup capability.
std::unique_ptr<Store> open_pg_store_with_backup(const std::string& url, OpenMode mode);

}  // namespace liaison
