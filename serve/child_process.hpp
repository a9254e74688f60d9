#pragma once
// A child process of the calkit program itself (`calkit serve` runs the CLI's own commands, so
// the browser drives exactly the code the command line does): stdout read line by line, stdin
// for keys, and the child stopped (SIGTERM: it journals and exits) when the server goes.
#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace calkit {

class ChildProcess {
 public:
  // Runs `program args...`; every stdout line goes to on_line (from a reader thread), stderr to
  // `stderr_file` (appended; empty: inherited). on_exit gets the exit status (-1: killed).
  ChildProcess(const std::string& program, const std::vector<std::string>& args, const std::string& stderr_file,
               std::function<void(const std::string&)> on_line, std::function<void(int)> on_exit);
  ~ChildProcess();  // stops the child (SIGTERM) and waits for it
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void send(const std::string& text);  // to the child's stdin
  void stop();                         // SIGTERM, as Ctrl-C would: readings so far are journaled
  bool running() const;

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::shared_ptr<std::atomic<bool>> exited_ = std::make_shared<std::atomic<bool>>(false);
  std::thread reader_;
};

// The path of the running calkit program (/proc/self/exe).
std::string own_program();

}  // namespace calkit
