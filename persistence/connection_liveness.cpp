#include "persistence/connection_liveness.hpp"

#include <libpq-fe.h>
#include <memory>
#include <set>
#include <string_view>

namespace heymovie::persistence {

namespace {

struct setting {
  const char* key;
  const char* value;
};

// A dead peer is noticed within about 25 s while a statement waits for its
// answer (keepalives), and within 30 s while data is unacknowledged. Unix
// sockets ignore all but the connect timeout.
constexpr setting liveness_defaults[] = {
    {"connect_timeout", "10"}, {"keepalives", "1"},
    {"keepalives_idle", "10"}, {"keepalives_interval", "5"},
    {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
};

/// A value as libpq's key=value syntax quotes it.
std::string quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\')
      out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

} // namespace

std::string with_liveness_checks(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options{
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree};
  if (!options) {
    PQfreemem(error);
    return url;
  }
  std::string out;
  std::set<std::string_view> given;
  for (auto* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr)
      continue;
    given.insert(o->keyword);
    out += o->keyword;
    out += '=';
    out += quoted(o->val);
    out += ' ';
  }
  for (auto& d : liveness_defaults) {
    if (given.count(d.key) != 0)
      continue;
    out += d.key;
    out += '=';
    out += d.value;
    out += ' ';
  }
  if (!out.empty())
    out.pop_back();
  return out;
}

} // namespace heymovie::persistence
