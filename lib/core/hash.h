// SHA-256 through OpenSSL's libcrypto.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace liaison {

/// The bytes as lowercase hex, two digits each.
std::string hex_of(const unsigned char* bytes, std::size_t n);

/// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

/// Whether `hex` is exactly sha256_hex(bytes) (64 lowercase hex digits), without
/// allocating: `audit verify` asks it of every event.
bool sha256_hex_is(std::string_view bytes, std::string_view hex);

/// `bytes` random bytes from the kernel (getrandom), as lowercase hex: salts.
std::string random_hex(std::size_t bytes);

}  // namespace liaison
