#include "serve/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"

namespace calkit {

std::string own_program() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::string& stderr_file, std::function<void(const std::string&)> on_line,
                           std::function<void(int)> on_exit) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw_io_error(program, "cannot make a pipe");
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw_io_error(program, "cannot start");
  if (pid_ == 0) {
    // The child: stops when the server does (it then journals what it has and exits), even
    // when the server is killed outright.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    if (!stderr_file.empty()) {
      int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
    }
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  stdin_fd_ = in[1];
  int read_fd = out[0];
  pid_t pid = pid_;
  reader_ = std::thread([read_fd, pid, exited = exited_, on_line = std::move(on_line), on_exit = std::move(on_exit)] {
    std::string pending;
    char buffer[4096];
    for (ssize_t n; (n = ::read(read_fd, buffer, sizeof buffer)) > 0;) {
      pending.append(buffer, std::size_t(n));
      for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1))
        on_line(pending.substr(0, nl));
    }
    ::close(read_fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    exited->store(true);
    on_exit(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  });
}

ChildProcess::~ChildProcess() {
  stop();
  if (reader_.joinable()) reader_.join();
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
}

void ChildProcess::send(const std::string& text) {
  if (stdin_fd_ >= 0) (void)!::write(stdin_fd_, text.data(), text.size());
}

void ChildProcess::stop() {
  if (pid_ > 0 && !exited_->load()) ::kill(pid_, SIGTERM);
}

bool ChildProcess::running() const { return pid_ > 0 && !exited_->load(); }

}  // namespace calkit
