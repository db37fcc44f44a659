#include "http/request_reader.hpp"

#include <iterator>
#include <string_view>

namespace heymovie::http {

namespace {

/// Room beyond the header and body limits for chunk framing.
constexpr size_t framing_slack = 8192;

std::string_view contents(const boost::beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

} // namespace

request_reader::request_reader(const config::http_settings& settings)
    : settings_(settings) {
  on_chunk_header_ = [this](std::uint64_t size, boost::beast::string_view,
                            boost::system::error_code&) {
    if (size != 0)
      return;
    header_section_.emplace();
    for (auto& field : parser_->get())
      header_section_->emplace_back(field.name_string(), field.value());
  };
}

size_t request_reader::buffer_limit(const config::http_settings& settings) {
  return settings.header_limit + settings.body_limit + framing_slack;
}

void request_reader::begin() {
  parser_.emplace();
  parser_->on_chunk_header(on_chunk_header_);
  parser_->header_limit(static_cast<uint32_t>(settings_.header_limit));
  parser_->body_limit(settings_.body_limit);
  header_section_.reset();
}

request request_reader::release() {
  auto req = parser_->release();
  if (header_section_ &&
      static_cast<size_t>(std::distance(req.begin(), req.end())) !=
          header_section_->size()) {
    req.clear(); // the fields only: method, target and version stay
    for (auto& [name, value] : *header_section_)
      req.insert(name, value);
  }
  return req;
}

bool request_reader::skip_empty_lines(boost::beast::flat_buffer& buffer) {
  auto bytes = contents(buffer);
  size_t skipped = 0;
  while (bytes.substr(skipped, 2) == "\r\n")
    skipped += 2;
  buffer.consume(skipped);
  return skipped > 0;
}

bool request_reader::holds_lone_cr(const boost::beast::flat_buffer& buffer) {
  return contents(buffer) == "\r";
}

} // namespace heymovie::http
