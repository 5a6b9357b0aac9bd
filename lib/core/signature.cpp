#include "signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cctype>
#include <vector>

#include "hash.h"

namespace liaison {

namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kSignatureBytes = 64;
/// The bytes of exactly `n` bytes' worth of hex digits (either case); nullopt otherwise.
std::optional<std::vector<unsigned char>> from_hex(std::string_view hex, std::size_t n) {
  if (hex.size() != n * 2) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<unsigned char> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::optional<std::string> raw_public_hex(EVP_PKEY* key) {
  std::array<unsigned char, kKeyBytes> raw{};
  std::size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, raw.data(), &len) != 1 || len != kKeyBytes) return std::nullopt;
  return hex_of(raw.data(), len);
}

Pkey read_pem(std::string_view pem, bool private_key) {
  // A PEM text is at most a few hundred bytes; anything else is not a key.
  if (pem.empty() || pem.size() > 64 * 1024) return nullptr;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  // No passphrase callback: an encrypted key is refused rather than prompted for (cron).
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  Pkey key(private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)
                       : PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return nullptr;
  return key;
}

}  // namespace

void SigningKey::Free::operator()(void* key) const { EVP_PKEY_free(static_cast<EVP_PKEY*>(key)); }

std::optional<SigningKey> SigningKey::from_pem(std::string_view pem) {
  Pkey key = read_pem(pem, true);
  if (!key) return std::nullopt;
  auto public_hex = raw_public_hex(key.get());
  if (!public_hex) return std::nullopt;
  SigningKey out;
  out.key_.reset(key.release());
  out.public_hex_ = std::move(*public_hex);
  return out;
}

std::string SigningKey::sign_hex(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  std::array<unsigned char, kSignatureBytes> sig{};
  std::size_t len = sig.size();
  // Ed25519 signs the message itself (no separate digest: md is null).
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, static_cast<EVP_PKEY*>(key_.get())) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      len != kSignatureBytes)
    return {};
  return hex_of(sig.data(), len);
}

std::optional<std::string> ed25519_public_hex(std::string_view text) {
  // 64 hex digits, perhaps with the line's surrounding white space.
  std::size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  if (auto raw = from_hex(text.substr(b, e - b), kKeyBytes)) return hex_of(raw->data(), raw->size());
  Pkey key = read_pem(text, false);
  if (!key) return std::nullopt;
  return raw_public_hex(key.get());
}

bool ed25519_verify(std::string_view public_hex, std::string_view message, std::string_view signature_hex) {
  auto raw = from_hex(public_hex, kKeyBytes);
  auto sig = from_hex(signature_hex, kSignatureBytes);
  if (!raw || !sig) return false;
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw->data(), raw->size()));
  MdCtx ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), sig->data(), sig->size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace liaison
