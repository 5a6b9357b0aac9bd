// Tests of lib/core/signature.cpp (Ed25519 through OpenSSL) and lib/services/checkpoint.cpp
// (writing, printing, reading and checking signed checkpoints), on both stores.
#include "checkpoint.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>

#include <doctest/doctest.h>

#include "chain.h"
#include "errors.h"
#include "fixture.h"
#include "signature.h"

namespace liaison {
namespace {

/// A fresh Ed25519 private key in PEM, made by OpenSSL here (as `openssl genpkey` would).
std::string new_key_pem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  REQUIRE(key);
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

/// The PEM public key of a private key's PEM.
std::string public_pem(const std::string& private_pem) {
  BIO* in = BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  REQUIRE(key);
  BIO* out = BIO_new(BIO_s_mem());
  REQUIRE(PEM_write_bio_PUBKEY(out, key) == 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(out, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(out);
  EVP_PKEY_free(key);
  return pem;
}

std::string config_text() {
  return std::string(test::kOrganization) + R"toml(
[[department]]
id = "gm"

[[department]]
id = "quality"

[[user]]
id = "boss"
department = "gm"
roles = ["top"]

[[user]]
id = "he.min"
department = "quality"
roles = ["auditor"]

[[user]]
id = "li"
department = "quality"
roles = ["staff"]

[[kind]]
id = "complaint"
resolve = "5wd"

[[rule]]
owner = "quality"
)toml";
}

void add_events(Context& ctx, int n) {
  auto tx = ctx.store.write();
  for (int i = 0; i < n; ++i) {
    Event e;
    e.type = "party-added";
    e.actor = "boss";
    e.at = ctx.now;
    e.data = R"({"id":"p"})";
    append_event(ctx.store, e);
  }
  tx->commit();
}

}  // namespace

TEST_CASE("Ed25519: a key signs, its public key verifies, nothing else does") {
  const std::string pem = new_key_pem();
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key);
  CHECK(key->public_hex().size() == 64);
  const std::string sig = key->sign_hex("message");
  CHECK(sig.size() == 128);
  CHECK(ed25519_verify(key->public_hex(), "message", sig));
  CHECK_FALSE(ed25519_verify(key->public_hex(), "messagE", sig));
  std::string flipped = sig;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  CHECK_FALSE(ed25519_verify(key->public_hex(), "message", flipped));
  auto other = SigningKey::from_pem(new_key_pem());
  REQUIRE(other);
  CHECK_FALSE(ed25519_verify(other->public_hex(), "message", sig));
  // Malformed hex is simply "does not verify".
  CHECK_FALSE(ed25519_verify("zz", "message", sig));
  CHECK_FALSE(ed25519_verify(key->public_hex(), "message", "abc"));
  // The public key reads from PEM and from its hex, the same.
  CHECK(ed25519_public_hex(public_pem(pem)) == key->public_hex());
  CHECK(ed25519_public_hex(" " + key->public_hex() + "\n") == key->public_hex());
  CHECK_FALSE(ed25519_public_hex("not a key"));
  CHECK_FALSE(ed25519_public_hex(pem));  // a private key is not taken for a public one
  CHECK_FALSE(SigningKey::from_pem(public_pem(pem)));
  CHECK_FALSE(SigningKey::from_pem(""));
  CHECK_FALSE(SigningKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
}

STORE_TEST_CASE("a checkpoint signs the chain's tip; printed and read back it verifies") {
  test::StoreFixture fx(config_text(), test::bj(2026, 9, 21, 9), "boss", S{});
  auto key = SigningKey::from_pem(new_key_pem());
  REQUIRE(key);
  CHECK_THROWS_AS(write_checkpoint(fx.ctx, *key), StateError);  // nothing to sign yet
  add_events(fx.ctx, 3);
  Checkpoint c = write_checkpoint(fx.ctx, *key);
  CHECK(c.event_id == 3);
  CHECK(c.event_hash == fx.store->event_hash(3));
  CHECK(c.statement == checkpoint_statement(c.event_id, c.event_hash, c.at, key->public_hex()));
  REQUIRE(fx.store->latest_checkpoint());
  CHECK(fx.store->latest_checkpoint()->signature == c.signature);

  const std::string text = "Subject: kept\n\n" + checkpoint_text(c) + "-- \nsignature of a mail\n";
  auto kept = parse_checkpoints(text, "kept.txt");
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].event_id == 3);
  CHECK(kept[0].at == c.at);
  CHECK(kept[0].signature == c.signature);
  CHECK(verify_checkpoints(*fx.store, kept, std::nullopt).checked == 1);
  CHECK_FALSE(verify_checkpoints(*fx.store, kept, key->public_hex()).problem);
  CHECK(verify_stored_checkpoints(*fx.store, key->public_hex()).checked == 1);
  // Windows line ends and indentation are read too.
  std::string crlf;
  for (char ch : checkpoint_text(c)) crlf += ch == '\n' ? std::string("\r\n  ") : std::string(1, ch);
  CHECK(parse_checkpoints(crlf, "crlf").size() == 1);

  SUBCASE("another key is not the trusted one") {
    auto other = SigningKey::from_pem(new_key_pem());
    REQUIRE(other);
    auto check = verify_checkpoints(*fx.store, kept, other->public_hex());
    REQUIRE(check.problem);
    CHECK(check.problem->english().find("not by the trusted key") != std::string::npos);
    CHECK(verify_stored_checkpoints(*fx.store, other->public_hex()).problem);
  }
  SUBCASE("a checkpoint beyond the history's end: events were removed") {
    Checkpoint beyond = c;
    beyond.event_id = 9;
    beyond.signature = key->sign_hex(checkpoint_statement(9, c.event_hash, c.at, key->public_hex()));
    auto check = verify_checkpoints(*fx.store, {beyond}, std::nullopt);
    REQUIRE(check.problem);
    CHECK(check.problem->english().find("the history ends at event 3") != std::string::npos);
  }
  SUBCASE("another hash at the event: the history was rewritten") {
    Checkpoint other = c;
    other.event_hash = std::string(64, 'a');
    other.signature = key->sign_hex(checkpoint_statement(3, other.event_hash, c.at, key->public_hex()));
    auto check = verify_checkpoints(*fx.store, {other}, std::nullopt);
    REQUIRE(check.problem);
    CHECK(check.problem->english().find("is not the one signed") != std::string::npos);
  }
  SUBCASE("an altered field no longer matches the signature") {
    Checkpoint altered = c;
    altered.at += std::chrono::seconds{1};
    auto check = verify_checkpoints(*fx.store, {altered}, std::nullopt);
    REQUIRE(check.problem);
    CHECK(check.problem->english().find("does not match its signature") != std::string::npos);
  }
}

STORE_TEST_CASE("who may write a checkpoint, and what a malformed one says") {
  test::StoreFixture fx(config_text(), test::bj(2026, 9, 21, 9), "li", S{});
  add_events(fx.ctx, 1);
  auto key = SigningKey::from_pem(new_key_pem());
  REQUIRE(key);
  CHECK_THROWS_AS(write_checkpoint(fx.ctx, *key), PermissionError);  // staff
  fx.ctx.actor = "he.min";
  Checkpoint c = write_checkpoint(fx.ctx, *key);  // an auditor may
  CHECK(verify_stored_checkpoints(*fx.store, key->public_hex()).checked == 1);

  const std::string good = checkpoint_text(c);
  CHECK(parse_checkpoints("no checkpoint here\n", "x").empty());
  auto refused = [&](std::string text, std::string_view needle) {
    try {
      parse_checkpoints(text, "kept.txt");
      FAIL("accepted: " << text);
    } catch (const DataError& e) {
      CHECK_MESSAGE(e.message().english().find(needle) != std::string::npos, e.message().english());
    }
  };
  auto replace = [&](std::string from, std::string to) {
    std::string t = good;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  refused(replace("event: ", "evnt: "), "kept.txt: checkpoint 1: expected a line \"event: …\"");
  refused(replace("event: 1", "event: 01"), "is not a valid event");
  refused(replace("event: 1", "event: 99999999999999999999"), "is not a valid event");
  refused(replace("hash: ", "hash: G"), "is not a valid hash");
  refused(replace("Z\n", "+08:00\n"), "is not a valid at");
  refused(replace("-----END LIAISON CHECKPOINT-----", ""), "it has no END line");
  refused(good + good.substr(0, good.size() / 2), "kept.txt: checkpoint 2");
}

}  // namespace liaison
