#include "hash.h"

// OpenSSL's low-level SHA256_Init/Update/Final run the digest directly. They are marked
// deprecated in 3.0 in favour of EVP, but EVP (and the one-shot SHA256(), built on it)
// fetches a provider and loads openssl.cnf on first use: some 5 million instructions per
// process, and every liaison command is a short process.
#define OPENSSL_API_COMPAT 10101
#include <openssl/sha.h>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include "errors.h"

namespace liaison {

namespace {
constexpr char kHex[] = "0123456789abcdef";
}

std::string hex_of(const unsigned char* bytes, std::size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  std::size_t got = 0;
  while (got < bytes) {
    ssize_t n = ::getrandom(buffer.data() + got, bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ExitCode::failure, msg<Msg::no_random_bytes>());
    }
    got += static_cast<std::size_t>(n);
  }
  return hex_of(buffer.data(), buffer.size());
}

namespace {
std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(std::string_view bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, bytes.data(), bytes.size());
  SHA256_Final(digest.data(), &context);
  return digest;
}
}  // namespace

std::string sha256_hex(std::string_view bytes) {
  auto digest = sha256(bytes);
  return hex_of(digest.data(), digest.size());
}

bool sha256_hex_is(std::string_view bytes, std::string_view hex) {
  if (hex.size() != 2 * SHA256_DIGEST_LENGTH) return false;
  auto digest = sha256(bytes);
  for (std::size_t i = 0; i < digest.size(); ++i)
    if (hex[2 * i] != kHex[digest[i] >> 4] || hex[2 * i + 1] != kHex[digest[i] & 0xf]) return false;
  return true;
}

}  // namespace liaison
