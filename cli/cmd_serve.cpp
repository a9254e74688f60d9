// `calkit serve`: the local web app (serve/app_server.hpp). Offers what the command line offers
// (probes, simulated displays, pattern generators, targets) and runs the same commands.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/verify_steps.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "emulators/emulated_probes.hpp"
#include "probes/probe_table.hpp"
#include "serve/app_server.hpp"
#include "serve/child_process.hpp"
#include "sim/display_model.hpp"

namespace calkit::cli {
namespace {

struct ServeArgs {
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::vector<std::string> allow;
  std::string dir;
};

// $XDG_DATA_HOME/calkit/runs, else ~/.local/share/calkit/runs.
std::filesystem::path default_runs_folder() {
  std::filesystem::path folder = calkit_user_folder(UserFolder::Data);
  if (folder.empty()) throw ValueError("--dir", "no HOME to keep runs in; give --dir");
  return folder / "runs";
}

void run(const ServeArgs& a) {
  AppServerOptions o;
  o.port = a.port;
  o.bind = a.bind;
  o.allow = a.allow;
  if (!a.allow.empty() && a.bind == "127.0.0.1") o.bind = "0.0.0.0";  // as the Resolve server does
  o.runs = a.dir.empty() ? default_runs_folder() : std::filesystem::path(a.dir);
  o.program = own_program();
  o.probes = {"sim"};
  for (const EmulatedProbeKind& kind : emulated_probe_table()) o.probes.push_back("emulated:" + kind.name);
  for (const std::string& name : probe_names()) o.probes.push_back(name);
  o.displays = builtin_display_names();
  o.patterns = {"web", "window", "resolve"};
  o.targets = {"bt1886", "pq-p3d65", "pq-p3d65-rec2020", "pq-rec2020"};
  AppServer server(o);
  std::printf("calkit serve: %s\n", server.url().c_str());
  std::fflush(stdout);
  const std::atomic<bool>* stop = install_stop_flag();
  std::atomic<bool> served{false};  // run() returned of itself (a listen error): nothing to stop
  std::thread watcher([&] {
    while (!stop->load() && !served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!served) server.stop();
  });
  server.run();
  served = true;
  watcher.join();
}

}  // namespace

void add_serve(CLI::App& app) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve",
      "The calkit web app: setup, live meter with adjust guidance, calibration runs with progress (resumed\n"
      "after a restart), reports and history, in a browser. Prints its address with an access token\n"
      "on the first line; every request needs the token. Ctrl-C stops it (runs stop, journaled).\n"
      "Example: calkit serve --port 8080   (then open the address it prints)\n"
      "         calkit serve --allow 192.168.1.20   (a tablet on the LAN too)");
  cmd->add_option("--port", a->port, "TCP port (0: any free one)")->capture_default_str();
  cmd->add_option("--bind", a->bind, "address to listen on")->capture_default_str();
  cmd->add_option("--allow", a->allow, "a client address allowed besides this computer (listens on all addresses)");
  cmd->add_option("--dir", a->dir, "where runs are kept (default: $XDG_DATA_HOME/calkit/runs)");
  cmd->callback([a] { run(*a); });
}

}  // namespace calkit::cli
