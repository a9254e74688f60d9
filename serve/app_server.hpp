#pragma once
// `calkit serve`: a local web app over the same commands as the command line. The server runs
// the calkit program's own commands as child processes (serve/child_process.hpp) in a folder of
// runs, follows them through their files (serve/run_progress.hpp), and serves the page, the live
// meter (server-sent events of `calkit adjust --json`), the runs with their progress, and their
// reports and files. Every request must carry the access token printed at start.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace calkit {

struct AppServerOptions {
  int port = 8080;  // 0: any free port
  std::string bind = "127.0.0.1";
  std::vector<std::string> allow;  // client addresses accepted besides loopback (--allow)
  std::filesystem::path runs;      // where runs are kept (one folder each)
  std::string program;             // the calkit program the commands run as
  std::string token;               // empty: a random one
  // What the setup offers (from the CLI's tables): probes, displays, pattern generators, targets.
  std::vector<std::string> probes, displays, patterns, targets;
};

class AppServer {
 public:
  explicit AppServer(AppServerOptions options);  // binds; NetworkError when it cannot
  ~AppServer();
  std::string url() const;  // with the token
  int port() const;
  void run();  // serves until stop()
  void stop();

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The page, HTML with its CSS and script (serve/app_page.cpp), shipped inside the binary.
const char* app_page_html();

}  // namespace calkit
