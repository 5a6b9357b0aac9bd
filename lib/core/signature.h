// Ed25519 signatures through OpenSSL's libcrypto: the keys that sign checkpoints of the
// history (lib/services/checkpoint.h). Keys are read from text; the caller reads files.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace liaison {

/// An Ed25519 private key, as `openssl genpkey -algorithm ed25519` writes it (PEM).
class SigningKey {
 public:
  /// The key in `pem`; nullopt when it is not an Ed25519 private key in PEM.
  static std::optional<SigningKey> from_pem(std::string_view pem);

  /// Hex of the raw 32-byte public key.
  const std::string& public_hex() const { return public_hex_; }
  /// Hex of the 64-byte signature over `message`.
  std::string sign_hex(std::string_view message) const;

 private:
  struct Free {
    void operator()(void* key) const;
  };
  std::unique_ptr<void, Free> key_;  ///< EVP_PKEY
  std::string public_hex_;
};

/// An Ed25519 public key given as PEM (`openssl pkey -pubout`) or as 64 hex digits (the
/// raw key, as a checkpoint names it): its 64 lowercase hex digits; nullopt when it is
/// neither.
std::optional<std::string> ed25519_public_hex(std::string_view text);

/// Whether `signature_hex` is a valid Ed25519 signature over `message` by the public key
/// `public_hex` (both hex; false for malformed hex).
bool ed25519_verify(std::string_view public_hex, std::string_view message, std::string_view signature_hex);

}  // namespace liaison
