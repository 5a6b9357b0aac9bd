#include "fuzz_target.h"

#include <cstdio>
#include <cstdlib>

namespace liaison::fuzz {

void violated(const char* what) {
  std::fprintf(stderr, "fuzz: property violated: %s\n", what);
  std::abort();
}

}  // namespace liaison::fuzz
