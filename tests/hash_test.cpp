// Tests of lib/core/hash.cpp: SHA-256 against the published test vectors (FIPS 180-2 and
// NIST CSRC examples), and that the input is taken as bytes, not as a C string.
#include "hash.h"

#include <cctype>
#include <string>

#include <doctest/doctest.h>

namespace liaison {
namespace {

TEST_CASE("sha256_hex of the empty string is the published digest") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256_hex of \"abc\" is the published digest") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256_hex of the two-block 448-bit message is the published digest") {
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256_hex of one million 'a' is the published digest") {
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256_hex hashes every byte, embedded NULs included") {
  using namespace std::string_literals;
  const std::string with_nul = "a\0b"s;
  REQUIRE(with_nul.size() == 3);
  CHECK(sha256_hex(with_nul) != sha256_hex("a"));
  CHECK(sha256_hex(with_nul) != sha256_hex("ab"));
  CHECK(sha256_hex(with_nul) == sha256_hex(std::string("a\0b", 3)));
}

TEST_CASE("sha256_hex is 64 lowercase hex digits") {
  const std::string digest = sha256_hex("投诉");
  CHECK(digest.size() == 64);
  CHECK(digest.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("sha256_hex_is holds for exactly the lowercase hex digest") {
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  CHECK(sha256_hex_is("abc", abc));
  CHECK_FALSE(sha256_hex_is("abd", abc));
  std::string upper = abc;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK_FALSE(sha256_hex_is("abc", upper));
  CHECK_FALSE(sha256_hex_is("abc", abc.substr(0, 63)));
  CHECK_FALSE(sha256_hex_is("abc", abc + "0"));
  std::string last = abc;
  last.back() = 'c';
  CHECK_FALSE(sha256_hex_is("abc", last));
  CHECK_FALSE(sha256_hex_is("abc", ""));
}

}  // namespace
}  // namespace liaison
