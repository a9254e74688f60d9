#include "serve/app_server.hpp"

#include <httplib.h>
// <resolv.h>, which httplib.h includes, defines _res as a macro, and Eigen names parameters _res.
#undef _res
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/time.hpp"
#include "serve/child_process.hpp"
#include "serve/run_progress.hpp"

namespace calkit {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw IoError("OpenSSL", "no random bytes for the access token");
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

bool is_loopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

// A run's folder name: letters, digits, '-' only (it is also a URL path part).
bool is_run_id(const std::string& id) { return std::regex_match(id, std::regex("[A-Za-z0-9-]{1,64}")); }
bool is_file_name(const std::string& name) {
  return std::regex_match(name, std::regex("[A-Za-z0-9._-]{1,128}")) && name.find("..") == std::string::npos;
}

std::string content_type_for(const fs::path& file) {
  std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".icc") return "application/vnd.iccprofile";
  return "text/plain; charset=utf-8";
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

}  // namespace

struct AppServer::State {
  AppServerOptions options;
  httplib::Server server;
  int port = 0;
  std::mutex mutex;
  std::condition_variable meter_changed;

  // The live meter: `calkit adjust --json`, its last readings as JSON lines.
  std::unique_ptr<ChildProcess> meter;
  std::deque<std::string> meter_lines;
  long long meter_seq = 0;  // readings received since the server started
  bool stopping = false;
  // run() and stop() meet through these, so a stop just before or as run() begins still ends it.
  std::atomic<bool> stop_requested{false}, run_entered{false}, run_returned{false};

  // Runs started by this server and still running, by id.
  std::map<std::string, std::unique_ptr<ChildProcess>> runs;
  int run_counter = 0;

  fs::path run_folder(const std::string& id) const { return options.runs / id; }

  json read_job(const std::string& id) const {
    return json::parse(read_file_text(run_folder(id) / "job.json"), nullptr, false);
  }
  void write_job(const std::string& id, const json& job) const {
    write_file_atomically(run_folder(id) / "job.json", job.dump(2) + "\n");
  }

  // The rig and target options of a setup, checked against what the page offers.
  std::vector<std::string> setup_args(const json& setup, bool with_pattern) const {
    auto pick = [&](const char* key, const std::vector<std::string>& allowed, bool required) -> std::string {
      std::string value = setup.value(key, "");
      if (value.empty() && !required) return value;
      if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
        throw ValueError(key, "'" + value + "' is not one the page offers");
      return value;
    };
    std::vector<std::string> args{"--probe", pick("probe", options.probes, true)};
    if (std::string d = pick("display", options.displays, false); !d.empty()) args.insert(args.end(), {"--display", d});
    if (with_pattern)
      if (std::string p = pick("pattern", options.patterns, false); !p.empty())
        args.insert(args.end(), {"--pattern", p});
    args.insert(args.end(), {"--target", pick("target", options.targets, true)});
    // A simulated run paced like a real one, so that the page shows it as it goes.
    double speed = setup.value("sim_speed", 0.0);
    if (speed < 0 || speed > 10000) throw ValueError("sim_speed", "0..10000");
    if (speed > 0) args.insert(args.end(), {"--sim-speed", fmt::format("{}", speed)});
    return args;
  }

  void start_meter(const json& setup) {
    std::vector<std::string> args{"adjust", "--json"};
    std::vector<std::string> rig = setup_args(setup, true);
    args.insert(args.end(), rig.begin(), rig.end());
    std::lock_guard<std::mutex> lock(mutex);
    meter.reset();
    meter_lines.clear();
    meter = std::make_unique<ChildProcess>(
        options.program, args, (options.runs / "meter.log").string(),
        [this](const std::string& line) {
          {
            std::lock_guard<std::mutex> l(mutex);
            meter_lines.push_back(line);
            if (meter_lines.size() > 600) meter_lines.pop_front();
            ++meter_seq;
          }
          meter_changed.notify_all();
        },
        [](int) {});
  }

  std::string start_run(const json& setup) {
    int patches = setup.value("patches", 1000);
    if (patches < 20 || patches > 20000) throw ValueError("patches", "must be 20..20000");
    std::string id;
    {
      std::lock_guard<std::mutex> lock(mutex);
      id = fmt::format("run-{}-{}", utc_now().substr(0, 19), ++run_counter);
    }
    id.erase(std::remove(id.begin(), id.end(), ':'), id.end());
    create_output_folder(run_folder(id));
    std::vector<std::string> args{"calibrate", "--json", "--no-adjust"};
    std::vector<std::string> rig = setup_args(setup, true);
    args.insert(args.end(), rig.begin(), rig.end());
    args.insert(args.end(), {"--patches", std::to_string(patches), "-o", run_folder(id).string()});
    write_job(id, {{"id", id}, {"args", args}, {"setup", setup}, {"created", utc_now()}, {"status", "running"}});
    launch(id, args);
    return id;
  }

  void launch(const std::string& id, const std::vector<std::string>& args) {
    std::lock_guard<std::mutex> lock(mutex);
    runs[id] = std::make_unique<ChildProcess>(
        options.program, args, (run_folder(id) / "log.txt").string(), [](const std::string&) {},
        [this, id](int status) {
          json job = read_job(id);
          if (!job.is_object()) return;
          job["status"] = status == 0 ? "finished" : status == 130 || status == -1 ? "interrupted" : "failed";
          job["exit_status"] = status;
          job["ended"] = utc_now();
          write_job(id, job);
        });
  }

  void resume_run(const std::string& id) {
    json job = read_job(id);
    if (!job.is_object()) throw ValueError("run", "no run " + id);
    std::vector<std::string> args = job["args"];
    if (std::find(args.begin(), args.end(), "--resume") == args.end()) args.push_back("--resume");
    job["args"] = args;
    job["status"] = "running";
    job["resumed"] = utc_now();
    write_job(id, job);
    launch(id, args);
  }

  bool is_running(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = runs.find(id);
    return found != runs.end() && found->second->running();
  }

  json run_list() {
    json out = json::array();
    std::error_code ec;
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(options.runs, ec))
      if (entry.is_directory() && fs::exists(entry.path() / "job.json")) folders.push_back(entry.path());
    std::sort(folders.rbegin(), folders.rend());  // newest first
    for (const fs::path& folder : folders) {
      std::string id = folder.filename().string();
      json job = read_job(id);
      if (!job.is_object()) continue;
      // A run the job file says is running but no process of this server runs was cut short
      // (the server stopped): its journals let it resume.
      if (job.value("status", "") == "running" && !is_running(id)) job["status"] = "interrupted";
      RunProgress p = calibrate_run_progress(folder);
      json item{{"id", id},       {"status", job["status"]}, {"setup", job["setup"]}, {"stage", p.stage},
                {"done", p.done}, {"total", p.total},        {"progress", p.fraction}};
      if (p.last_rgb) item["rgb"] = {(*p.last_rgb)[0], (*p.last_rgb)[1], (*p.last_rgb)[2]};
      if (p.last_XYZ) item["XYZ"] = {(*p.last_XYZ)[0], (*p.last_XYZ)[1], (*p.last_XYZ)[2]};
      // ETA from the pace so far (from the start or the last resume).
      std::string since = job.value("resumed", job.value("created", ""));
      item["started"] = since;
      json files = json::array();
      for (const char* f : {"report.html", "calibration.cube", "calibration-display.icc", "verify-after.json",
                            "verify-before.json", "calibration-solve.json", "profile.ti3", "log.txt"})
        if (fs::exists(folder / f)) files.push_back(f);
      item["files"] = files;
      out.push_back(item);
    }
    return out;
  }
};

AppServer::AppServer(AppServerOptions options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.options = std::move(options);
  if (s.options.token.empty()) s.options.token = random_token();
  create_output_folder(s.options.runs);
  httplib::Server& http = s.server;

  // Every request: from loopback or an allowed address, and with the token (query or cookie).
  http.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    const auto& allow = s.options.allow;
    if (!is_loopback(req.remote_addr) && std::find(allow.begin(), allow.end(), req.remote_addr) == allow.end()) {
      reply_error(res, 403, "this address is not allowed (calkit serve --allow)");
      return httplib::Server::HandlerResponse::Handled;
    }
    std::string cookie = req.get_header_value("Cookie");
    bool token = (req.has_param("token") && req.get_param_value("token") == s.options.token) ||
                 cookie.find("calkit_token=" + s.options.token) != std::string::npos;
    if (!token) {
      reply_error(res, 403, "no access token: open the address calkit serve printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http.Get("/", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_header("Set-Cookie", "calkit_token=" + s.options.token + "; Path=/; HttpOnly; SameSite=Strict");
    res.set_header("Cache-Control", "no-store");
    res.set_content(app_page_html(), "text/html; charset=utf-8");
  });
  http.Get("/api/options", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(json{{"probes", s.options.probes},
                         {"displays", s.options.displays},
                         {"patterns", s.options.patterns},
                         {"targets", s.options.targets}}
                        .dump(),
                    "application/json");
  });
  auto body = [](const httplib::Request& req) {
    json j = json::parse(req.body, nullptr, false);
    if (!j.is_object()) throw ValueError("request", "the body is not a JSON object");
    return j;
  };
  http.Post("/api/meter/start", [&s, body](const httplib::Request& req, httplib::Response& res) {
    s.start_meter(body(req));
    res.set_content("{}", "application/json");
  });
  http.Post("/api/meter/stop", [&s](const httplib::Request&, httplib::Response& res) {
    std::unique_ptr<ChildProcess> old;
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      old = std::move(s.meter);
    }
    res.set_content("{}", "application/json");
  });
  http.Post("/api/meter/keys", [&s, body](const httplib::Request& req, httplib::Response& res) {
    std::string keys = body(req).value("keys", "");
    // Only the simulated display's menu keys and p (read the primaries again).
    if (keys.find_first_not_of("rRgGbBlLp") != std::string::npos) throw ValueError("keys", "r/R g/G b/B l/L p only");
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.meter) s.meter->send(keys);
    res.set_content("{}", "application/json");
  });
  // Server-sent events: every reading of the meter as it arrives (and the last minute's at once).
  http.Get("/api/meter/events", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    auto seen = std::make_shared<long long>(-1);
    res.set_chunked_content_provider("text/event-stream", [&s, seen](std::size_t, httplib::DataSink& sink) {
      std::unique_lock<std::mutex> lock(s.mutex);
      if (*seen < 0) *seen = s.meter_seq - (long long)s.meter_lines.size();
      s.meter_changed.wait_for(lock, std::chrono::seconds(5), [&] { return s.meter_seq > *seen || s.stopping; });
      if (s.stopping) {
        sink.done();
        return false;
      }
      std::string events;
      long long first = s.meter_seq - (long long)s.meter_lines.size();
      for (long long i = std::max(*seen, first); i < s.meter_seq; ++i)
        events += "data: " + s.meter_lines[std::size_t(i - first)] + "\n\n";
      *seen = s.meter_seq;
      lock.unlock();
      if (events.empty()) events = ": waiting\n\n";  // a comment keeps the connection alive
      return sink.write(events.data(), events.size());
    });
  });
  http.Post("/api/runs", [&s, body](const httplib::Request& req, httplib::Response& res) {
    res.set_content(json{{"id", s.start_run(body(req))}}.dump(), "application/json");
  });
  http.Get("/api/runs", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(s.run_list().dump(), "application/json");
  });
  http.Post(R"(/api/runs/([A-Za-z0-9-]+)/(cancel|resume|enter))",
            [&s](const httplib::Request& req, httplib::Response& res) {
              std::string id = req.matches[1], what = req.matches[2];
              if (what == "resume") {
                if (s.is_running(id)) throw ValueError("run", id + " is running");
                s.resume_run(id);
              } else {
                std::lock_guard<std::mutex> lock(s.mutex);
                auto found = s.runs.find(id);
                if (found != s.runs.end() && what == "cancel") found->second->stop();
                if (found != s.runs.end() && what == "enter") found->second->send("\n");
              }
              res.set_content("{}", "application/json");
            });
  http.Get(R"(/runs/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+))", [&s](const httplib::Request& req, httplib::Response& res) {
    std::string id = req.matches[1], name = req.matches[2];
    fs::path file = s.run_folder(id) / name;
    if (!is_run_id(id) || !is_file_name(name) || !fs::is_regular_file(file))
      return reply_error(res, 404, "no such file");
    res.set_header("Cache-Control", "no-store");
    res.set_content(read_file_bytes(file), content_type_for(file));
  });
  http.Get("/history", [&s](const httplib::Request& req, httplib::Response& res) {
    std::string display = req.has_param("display") ? req.get_param_value("display") : "";
    if (std::find(s.options.displays.begin(), s.options.displays.end(), display) == s.options.displays.end())
      return reply_error(res, 400, "unknown display");
    fs::path page = s.options.runs / "history.html";
    fs::remove(page);
    std::mutex done_mutex;
    std::condition_variable done_cv;
    bool done = false;
    {
      ChildProcess history(
          s.options.program, {"history", display, "--html", page.string()}, (s.options.runs / "history.log").string(),
          [](const std::string&) {},
          [&](int) {
            std::lock_guard<std::mutex> lock(done_mutex);
            done = true;
            done_cv.notify_all();
          });
      std::unique_lock<std::mutex> lock(done_mutex);
      done_cv.wait_for(lock, std::chrono::seconds(30), [&] { return done; });
    }
    if (!fs::exists(page)) return reply_error(res, 404, "no verification of " + display + " is recorded yet");
    res.set_content(read_file_bytes(page), "text/html; charset=utf-8");
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const InputError& e) {
      reply_error(res, 400, e.what());
    } catch (const std::exception& e) {
      reply_error(res, 500, e.what());
    }
  });

  s.port = s.options.port == 0 ? http.bind_to_any_port(s.options.bind.c_str())
                               : (http.bind_to_port(s.options.bind.c_str(), s.options.port) ? s.options.port : -1);
  if (s.port <= 0)
    throw NetworkError(fmt::format("calkit serve: cannot listen on {}:{}", s.options.bind, s.options.port));
}

AppServer::~AppServer() { stop(); }

std::string AppServer::url() const {
  std::string host = state_->options.bind == "0.0.0.0" ? "THIS-COMPUTER" : state_->options.bind;
  return fmt::format("http://{}:{}/?token={}", host, state_->port, state_->options.token);
}

int AppServer::port() const { return state_->port; }

void AppServer::run() {
  state_->run_entered = true;
  if (!state_->stop_requested) state_->server.listen_after_bind();
  state_->run_returned = true;
}

void AppServer::stop() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->meter_changed.notify_all();
  state_->stop_requested = true;
  // httplib's stop() does nothing before listen has begun, and listen would then never return.
  if (state_->run_entered)
    while (!state_->server.is_running() && !state_->run_returned)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  state_->server.stop();
}

}  // namespace calkit
