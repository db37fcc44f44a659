#include "service_process.hpp"

#include "http_client.hpp"
#include "tokens.hpp"

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace heymovie::testing {

namespace {

int exit_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

pid_t spawn_program(const std::string& path,
                    const std::vector<std::string>& args,
                    const std::string& log_file) {
  std::vector<std::string> copy = args;
  std::string binary = path;
  std::vector<char*> argv{binary.data()};
  for (auto& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!log_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  pid_t pid = -1;
  auto rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(),
                        environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + binary);
  return pid;
}

int wait_program(pid_t pid, std::chrono::seconds timeout) {
  auto give_up_at = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up_at) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid)
      return exit_status(status);
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return -1;
}

std::string temp_path(const std::string& name) {
  return "/tmp/heymovie_" + std::to_string(getpid()) + "_" + name;
}

int run_heymovie(const std::vector<std::string>& args) {
  auto pid = spawn_program(HEYMOVIE_BINARY, args);
  int status = 0;
  waitpid(pid, &status, 0);
  return exit_status(status);
}

service_process::service_process(const std::string& db_url,
                                 std::vector<std::string> extra_args)
    : service_process(db_url, std::move(extra_args), {}) {
  // nop
}

service_process::service_process(const std::string& db_url,
                                 std::vector<std::string> extra_args,
                                 std::string log_file)
    : port_(free_port()), admin_port_(free_port()),
      log_file_(std::move(log_file)) {
  args_ = {"serve",
           "--http.address=127.0.0.1",
           "--http.port=" + std::to_string(port_),
           "--admin.port=" + std::to_string(admin_port_),
           "--db.url=" + db_url,
           "--auth.hs256-secret-file=" + test_secret_file(),
           "--log.level=" + std::string{log_file_.empty() ? "warn" : "info"}};
  args_.insert(args_.end(), extra_args.begin(), extra_args.end());
  launch();
}

void service_process::launch() {
  pid_ = spawn_program(HEYMOVIE_BINARY, args_, log_file_);
  wait_until_ready();
}

void service_process::restart() {
  if (running())
    throw std::logic_error("restart: the service still runs");
  launch();
}

std::string service_process::log() const {
  std::ifstream in{log_file_};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
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
