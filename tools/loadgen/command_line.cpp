#include "loadgen/command_line.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace heymovie::loadgen {

namespace {

const option_spec* find_spec(const std::vector<option_spec>& table,
                             std::string_view name) {
  auto i = std::find_if(table.begin(), table.end(),
                        [&](const auto& spec) { return spec.name == name; });
  return i == table.end() ? nullptr : &*i;
}

[[noreturn]] void refuse(std::string_view name, std::string_view why) {
  throw usage_error("--" + std::string{name} + ": " + std::string{why});
}

} // namespace

command_line::command_line(const std::vector<std::string_view>& args,
                           const std::vector<option_spec>& table) {
  for (auto arg : args) {
    if (arg.substr(0, 2) != "--" || arg.size() == 2)
      throw usage_error("unexpected argument '" + std::string{arg} +
                        "' (options are --key=value)");
    arg.remove_prefix(2);
    auto eq = arg.find('=');
    auto name = arg.substr(0, eq);
    auto* spec = find_spec(table, name);
    if (spec == nullptr)
      refuse(name, "unknown option");
    if (eq == std::string_view::npos && !spec->hint.empty())
      refuse(name, "needs a value: --" + std::string{name} + "=" +
                       std::string{spec->hint});
    auto value = eq == std::string_view::npos ? std::string_view{"true"}
                                              : arg.substr(eq + 1);
    if (!values_.emplace(std::string{name}, std::string{value}).second)
      refuse(name, "given twice");
  }
}

bool command_line::has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

std::string command_line::text(std::string_view name,
                               std::string fallback) const {
  auto i = values_.find(name);
  return i == values_.end() ? fallback : i->second;
}

int64_t command_line::integer(std::string_view name, int64_t fallback,
                              int64_t min, int64_t max) const {
  auto i = values_.find(name);
  if (i == values_.end())
    return fallback;
  auto& text = i->second;
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
  auto i = values_.find(name);
  if (i == values_.end())
    return fallback;
  auto& text = i->second;
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
  auto i = values_.find(name);
  if (i == values_.end() || i->second == "false")
    return false;
  if (i->second == "true")
    return true;
  refuse(name, "is a flag: give it alone, =true or =false");
}

std::string describe(const std::vector<option_spec>& table) {
  size_t width = 0;
  for (auto& spec : table)
    width = std::max(width, spec.name.size() + spec.hint.size() + 3);
  std::string out;
  for (auto& spec : table) {
    std::string left = "--" + std::string{spec.name};
    if (!spec.hint.empty())
      left += "=" + std::string{spec.hint};
    left.resize(width, ' ');
    // A help text may span lines; continue them under its first one.
    std::string help{spec.help};
    for (size_t at = help.find('\n'); at != std::string::npos;
         at = help.find('\n', at + 1))
      help.insert(at + 1, width + 4, ' ');
    out += "  " + left + "  " + help + "\n";
  }
  return out;
}

} // namespace heymovie::loadgen
