// PostgreSQL array literals: the form in which a batch's columns travel as
// statement parameters (`unnest($1::integer[], ...)`), one round trip for
// any number of rows.

#pragma once

#include <string>

namespace heymovie::persistence {

/// `{a,b,c}`: the integer `field(item)` of every item of `items`, in order.
template<class Items, class Field>
std::string array_literal(const Items& items, Field field) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1)
      out += ',';
    out += std::to_string(field(item));
  }
  out += '}';
  return out;
}

} // namespace heymovie::persistence
