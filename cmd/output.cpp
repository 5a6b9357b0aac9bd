#include "output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "errors.h"

namespace liaison::cli {

void write_file(const std::string& path, const std::function<void(std::ostream&)>& render) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(ExitCode::failure, fmt::format("--out: cannot write {}: no directory {}", path, dir.string()),
                "create the directory first, or give another --out");
  std::string tmp = (dir / fmt::format(".{}.{}.tmp", target.filename().string(), ::getpid())).string();
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    try {
      render(f);
    } catch (...) {
      f.close();
      fs::remove(tmp, ec);
      throw;
    }
    f.close();
    if (!f) {
      int saved = errno;
      fs::remove(tmp, ec);
      throw Error(ExitCode::failure, fmt::format("--out: cannot write {}: {}", path, std::strerror(saved)),
                  "check the directory's permissions and free space");
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw Error(ExitCode::failure, fmt::format("--out: cannot write {}: {}", path, ec.message()),
                "check the directory's permissions");
  }
}

}  // namespace liaison::cli
