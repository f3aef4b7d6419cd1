// Message digests the fake prints as juju does: the MD5 fingerprint of an authorised SSH key
// and the SHA-256 checksum of a secret's content.
#pragma once

#include <string>
#include <string_view>

namespace jubilant::fake {

/// MD5 (RFC 1321) as juju 3.6 fingerprints authorised keys: the 16 bytes of the key blob's
/// digest in lowercase hex, colon-separated ("c6:1b:...:9f").
std::string md5_fingerprint(std::string_view data);

/// SHA-256 (FIPS 180-4) in lowercase hex, 64 characters.
std::string sha256_hex(std::string_view data);

}  // namespace jubilant::fake
