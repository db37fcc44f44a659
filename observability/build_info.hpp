// What this binary is: its version (the project's, from CMakeLists.txt) and
// the commit it was built from ("unknown" outside git, "-dirty" appended
// when tracked files differed from it). Written at build time.

#pragma once

#include <string_view>

namespace heymovie::observability {

std::string_view build_version() noexcept;
std::string_view build_commit() noexcept;

} // namespace heymovie::observability
