#include "loadgen/recorder.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace heymovie::loadgen {

namespace {

template<class Integer>
void append_integer(Integer value, std::string& out) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof(digits), value).ptr);
}

template<class Integer>
bool parse_field(std::string_view& line, Integer& value, bool last = false) {
  auto comma = line.find(',');
  if ((comma == std::string_view::npos) != last)
    return false;
  auto field = line.substr(0, comma);
  line.remove_prefix(last ? line.size() : comma + 1);
  auto [end, ec] =
      std::from_chars(field.data(), field.data() + field.size(), value);
  return ec == std::errc{} && end == field.data() + field.size();
}

} // namespace

void append_record_line(const rating& r, int status, std::string& out) {
  append_integer(r.user, out);
  out += ',';
  append_integer(r.movie, out);
  out += ',';
  append_integer(r.half_stars, out);
  out += ',';
  if (r.has_timestamp())
    append_integer(r.timestamp, out);
  out += ',';
  append_integer(status, out);
  out += '\n';
}

std::optional<record_entry> parse_record_line(std::string_view line,
                                              std::string& error) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  record_entry e;
  auto& r = e.what;
  auto ok = parse_field(line, r.user) && parse_field(line, r.movie) &&
            parse_field(line, r.half_stars);
  if (ok && !line.empty() && line.front() == ',')
    line.remove_prefix(1); // no timestamp
  else
    ok = ok && parse_field(line, r.timestamp);
  ok = ok && parse_field(line, e.status, true);
  if (!ok || r.user < 1 || r.movie < 1 || r.half_stars < 1 ||
      r.half_stars > 10 || e.status < 0 || e.status > 999) {
    error = "expected user,movie,half_stars(1..10),timestamp or empty,status";
    return std::nullopt;
  }
  return e;
}

record_file::record_file(const std::string& path)
    : file_(std::fopen(path.c_str(), "w")), path_(path) {
  if (file_ == nullptr)
    throw std::runtime_error(path + ": " + std::strerror(errno));
}

record_file::~record_file() {
  std::fclose(file_);
}

void record_file::append(std::string_view chunk) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (!error_.empty())
    return;
  if (std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size() ||
      std::fflush(file_) != 0)
    error_ = path_ + ": " + std::strerror(errno);
}

std::string record_file::error() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return error_;
}

void recorder::flush() {
  if (file_ != nullptr && !buffer_.empty())
    file_->append(buffer_);
  buffer_.clear();
}

} // namespace heymovie::loadgen
