// The API's description, http/openapi.json (OpenAPI 3.1), carried by the
// binary and served at GET /openapi.json.

#pragma once

#include <string_view>

namespace heymovie::http {

std::string_view openapi_document() noexcept;

} // namespace heymovie::http
