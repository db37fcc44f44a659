#include "loadgen/command_line.hpp"

#include <boost/program_options.hpp>

#include <charconv>
#include <sstream>

namespace po = boost::program_options;

namespace heymovie::loadgen {

namespace {

po::options_description options_of(const std::vector<option_spec>& table) {
  po::options_description out{"", 80, 40};
  for (auto& spec : table) {
    auto* value = po::value<std::string>();
    if (spec.hint.empty())
      value->implicit_value("true")->value_name("BOOL");
    else
      value->value_name(std::string{spec.hint});
    out.add_options()(std::string{spec.name}.c_str(), value,
                      std::string{spec.help}.c_str());
  }
  return out;
}

[[noreturn]] void refuse(std::string_view name, std::string_view why) {
  throw usage_error("--" + std::string{name} + ": " + std::string{why});
}

} // namespace

command_line::command_line(const std::vector<std::string_view>& args,
                           const std::vector<option_spec>& table) {
  namespace style = po::command_line_style;
  // No positional options at all: a stray word is a mistake, not input.
  po::positional_options_description none;
  try {
    po::store(po::command_line_parser({args.begin(), args.end()})
                  .options(options_of(table))
                  .positional(none)
                  .style(style::allow_long | style::long_allow_adjacent |
                         style::long_allow_next)
                  .run(),
              values_);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
}

bool command_line::has(std::string_view name) const {
  return values_.count(std::string{name}) > 0;
}

std::string command_line::text(std::string_view name,
                               std::string fallback) const {
  return has(name) ? values_[std::string{name}].as<std::string>() : fallback;
}

int64_t command_line::integer(std::string_view name, int64_t fallback,
                              int64_t min, int64_t max) const {
  if (!has(name))
    return fallback;
  auto text = this->text(name);
  int64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min ||
      value > max)
    refuse(name, "'" + text + "' is not an integer in " + std::to_string(min) +
                     ".." + std::to_string(max));
  return value;
}

double command_line::number(std::string_view name, double fallback, double min,
                            double max) const {
  if (!has(name))
    return fallback;
  auto text = this->text(name);
  double value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() ||
      !(value >= min && value <= max)) {
    std::ostringstream range;
    range << min << ".." << max;
    refuse(name, "'" + text + "' is not a number in " + range.str());
  }
  return value;
}

bool command_line::flag(std::string_view name) const {
  auto value = text(name, "false");
  if (value == "true" || value == "false")
    return value == "true";
  refuse(name, "is a flag: give it alone, =true or =false");
}

std::string describe(const std::vector<option_spec>& table) {
  std::ostringstream out;
  out << options_of(table);
  return out.str();
}

} // namespace heymovie::loadgen
