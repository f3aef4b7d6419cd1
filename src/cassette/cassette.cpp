// The Cassette value's own methods: parse, load (recovering a journal), to_json and save.
#include <jubilant/cassette.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include <jubilant/errors.hpp>

#include "cassette/internal.hpp"
#include "print/json_quote.hpp"
#include "private_files.hpp"

namespace jubilant::cassette {

Cassette Cassette::parse(std::string_view json, std::string_view source) {
    simdjson::padded_string padded(json);
    return detail::parse_padded(padded, source, 1);
}

Cassette Cassette::load(const std::filesystem::path& path) {
    if (auto recovered = detail::recover_journal(path)) return std::move(*recovered);
    const auto text = detail::read_padded(path);
    return detail::parse_padded(text, path.string(), 1);
}

std::string Cassette::to_json() const {
    detail::Writer w(true);
    detail::write_cassette(w, *this);
    std::string out = w.take();
    out += '\n';
    return out;
}

void Cassette::save(const std::filesystem::path& path) const {
    detail::write_atomically(path, to_json());
}

}  // namespace jubilant::cassette
