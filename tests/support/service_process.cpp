#include "service_process.hpp"

#include "http_client.hpp"

#include <csignal>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace heymovie::testing {

namespace {

pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string binary = HEYMOVIE_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv.data(),
                  environ) != 0)
    throw std::runtime_error("cannot start " + binary);
  return pid;
}

int exit_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

int run_heymovie(const std::vector<std::string>& args) {
  auto pid = spawn(args);
  int status = 0;
  waitpid(pid, &status, 0);
  return exit_status(status);
}

service_process::service_process(const std::string& db_url,
                                 std::vector<std::string> extra_args) {
  port_ = free_port();
  std::vector<std::string> args{"serve", "--http.address=127.0.0.1",
                                "--http.port=" + std::to_string(port_),
                                "--db.url=" + db_url, "--log.level=warn"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(args);
  wait_until_ready();
}

service_process::~service_process() {
  if (pid_ > 0 && stop(SIGTERM) < 0)
    stop(SIGKILL);
}

void service_process::wait_until_ready() {
  auto give_up_at = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (std::chrono::steady_clock::now() < give_up_at) {
    if (!running())
      throw std::runtime_error("heymovie exited during start-up");
    try {
      http_client client{port_, std::chrono::seconds{2}};
      if (client.get("/healthz").status == 200)
        return;
    } catch (const std::exception&) {
      // Not listening yet.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  throw std::runtime_error("heymovie was not ready within 30 s");
}

bool service_process::running() {
  if (pid_ <= 0)
    return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int service_process::stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0)
    return -1;
  kill(pid_, signal);
  auto give_up_at = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up_at) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return exit_status(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return -1;
}

} // namespace heymovie::testing
