// The app server's life cycle. httplib's Server::stop() does nothing before listen has begun,
// and listen then never returns: a stop that came as the server started (Ctrl-C at once after
// `calkit serve`) left it serving for ever. The invariant: stop() ends run() whenever it comes.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "serve/app_server.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

namespace {

// `folder`: each case its own (ctest runs the cases in parallel and a scratch folder starts empty).
AppServerOptions any_port(const std::string& folder) {
  AppServerOptions o;
  o.port = 0;
  o.runs = test::scratch_dir("serve", folder);
  o.token = "test";
  return o;
}

}  // namespace

TEST_CASE("app server: stop() ends run() however close to run()'s start it comes") {
  // Each order of the two threads a hundred times: before the fix, some of these never ended
  // (ctest's timeout fails the case).
  for (int i = 0; i < 100; ++i) {
    AppServer server(any_port("stop-as-run-begins"));
    bool returned = false;
    std::thread serving([&] {
      server.run();
      returned = true;
    });
    if (i % 2) std::this_thread::yield();
    server.stop();
    serving.join();
    CHECK(returned);
  }
  // Stopped before run() is called, run() returns at once.
  AppServer server(any_port("stop-as-run-begins"));
  server.stop();
  server.run();
  CHECK(server.port() > 0);
}

TEST_CASE("app server: destroyed without ever running, it does not wait for run()") {
  for (int i = 0; i < 20; ++i) {
    AppServer server(any_port("never-run"));
    CHECK(server.port() > 0);  // it bound a port, so there was a server to stop
  }
}
