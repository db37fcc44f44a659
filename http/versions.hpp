// HTTP versions as Beast numbers them (major * 10 + minor).

#pragma once

namespace heymovie::http {

inline constexpr unsigned http_1_0 = 10;
inline constexpr unsigned http_1_1 = 11;

} // namespace heymovie::http
