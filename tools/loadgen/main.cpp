// loadgen: the load generator for HeyMovie's write path. `run` drives
// POST /rating over keep-alive connections, replaying MovieLens ratings or
// sending synthetic ones (Zipf-skewed movies, re-ratings), in a closed loop
// or an open loop at a fixed rate whose latencies count from each request's
// due time, so a stalled server cannot hide behind a slow client. It keeps
// each user's requests in order on one connection, survives the server
// going away, and can record every request's outcome. `verify` then checks
// the database against that record: every acknowledged rating stored, every
// movie's aggregate exact. `idle` holds idle connections open for memory
// measurements. The service is a black box here: only HTTP and SQL.

#include "loadgen/command_line.hpp"
#include "loadgen/idle.hpp"
#include "loadgen/run_options.hpp"
#include "loadgen/runner.hpp"
#include "loadgen/verifier.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

using namespace heymovie::loadgen;

namespace {

std::string usage() {
  return "usage: loadgen run [options]      drive POST /rating load\n"
         "       loadgen verify [options]   check the database against a "
         "record\n"
         "       loadgen idle [options]     hold idle connections open\n"
         "       loadgen help\n"
         "\nrun (--replay=PATH or --synthetic --movies=PATH):\n" +
         describe(run_option_table()) + "\nverify:\n" +
         describe(verify_option_table()) + "\nidle:\n" +
         describe(idle_option_table());
}

int dispatch(std::string_view command,
             const std::vector<std::string_view>& args) {
  if (command == "run")
    return run_load(parse_run_options(command_line{args, run_option_table()}));
  if (command == "verify")
    return verify(
        parse_verify_options(command_line{args, verify_option_table()}));
  if (command == "idle")
    return hold_idle(
        parse_idle_options(command_line{args, idle_option_table()}));
  throw usage_error("unknown command '" + std::string{command} + "'");
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + std::min(argc, 2), argv + argc);
  std::string_view command = argc > 1 ? argv[1] : "help";
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  try {
    return dispatch(command, args);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "loadgen %s: %s (see loadgen help)\n",
                 std::string{command}.c_str(), e.what());
    return 2;
  }
}
