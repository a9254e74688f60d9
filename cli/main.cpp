// calkit: the command-line front end. Every stage of a calibration is a subcommand that reads
// and writes plain files, so each runs alone and a run can stop and resume anywhere.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace {

using AddCommand = void (*)(CLI::App&);

// The table of subcommands, in the order --help lists them.
constexpr AddCommand kCommands[] = {
    calkit::cli::add_color,   calkit::cli::add_lut,           calkit::cli::add_display,   calkit::cli::add_patches,
    calkit::cli::add_measure, calkit::cli::add_spot,          calkit::cli::add_report,    calkit::cli::add_package,
    calkit::cli::add_pattern, calkit::cli::add_convert_files, calkit::cli::add_probe,     calkit::cli::add_ambient,
    calkit::cli::add_solve,   calkit::cli::add_verify,        calkit::cli::add_calibrate, calkit::cli::add_uniformity,
    calkit::cli::add_history, calkit::cli::add_match,         calkit::cli::add_adjust,    calkit::cli::add_upload,
    calkit::cli::add_serve,
};

// The exit status of every outcome, in one place (README "Exit status"):
constexpr int kExitOk = 0;
constexpr int kExitWorld = 1;  // a device, the network or the disk failed; or a result the user asked to fail on
constexpr int kExitInput = 2;  // bad input or usage: a file, an option, a value

// Messages can quote what a peer, a device or a file said: printable() keeps their escape
// sequences off the terminal.
int fail(int status, const std::string& message) {
  if (!message.empty()) std::fprintf(stderr, "calkit: %s\n", calkit::printable(message).c_str());
  return status;
}

// calkit records names (files, displays, labels) in UTF-8 files (JSON, XML, CGATS): an argument
// that is not UTF-8 is refused before any work, not after a measurement.
std::string non_utf8_argument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (!calkit::is_utf8(argv[i]))
      return fmt::format(
          "argument {} ('{}') is not UTF-8 text, which calkit's files hold: rename the file or use "
          "UTF-8",
          i, calkit::printable(argv[i]));
  return "";
}

// Levenshtein distance, for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Walks the words of the command line down the subcommand tree; the first word where a
// subcommand is expected but none has that name gets an error naming the closest one. Returns
// an empty string when the words are fine (CLI11 then reports anything else).
std::string unknown_subcommand(CLI::App& app, int argc, char** argv) {
  CLI::App* at = &app;
  std::string path = "calkit";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') return "";  // options from here on
    std::vector<CLI::App*> subs = at->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) return "";  // a command's positional arguments
    auto named = std::find_if(subs.begin(), subs.end(), [&](CLI::App* s) { return s->check_name(word); });
    if (named != subs.end()) {
      at = *named;
      path += " " + word;
      continue;
    }
    const auto options = at->get_options();
    if (std::any_of(options.begin(), options.end(), [](const CLI::Option* o) { return o->get_positional(); }))
      return "";  // `calkit package SRC`: a positional argument, not a command
    CLI::App* closest = *std::min_element(subs.begin(), subs.end(), [&](CLI::App* a, CLI::App* b) {
      return edit_distance(word, a->get_name()) < edit_distance(word, b->get_name());
    });
    std::string hint = edit_distance(word, closest->get_name()) <= std::max<std::size_t>(2, word.size() / 3)
                           ? fmt::format(" (did you mean '{}'?)", closest->get_name())
                           : "";
    return fmt::format("unknown command '{} {}'{}; `{} --help` lists them", path, word, hint, path);
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "calkit: calibrate and verify displays for colour-critical work.\n"
      "Example: calkit calibrate --probe sim --display sim:woled-tv --target bt1886 -o out/"};
  app.set_version_flag("--version", std::string("calkit ") + CALKIT_VERSION);
  app.require_subcommand(1);
  for (AddCommand add : kCommands) add(app);
  if (std::string bad = non_utf8_argument(argc, argv); !bad.empty()) return fail(kExitInput, bad);
  if (std::string unknown = unknown_subcommand(app, argc, argv); !unknown.empty()) return fail(kExitInput, unknown);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInput;  // --help and --version exit 0
  } catch (const calkit::cli::CommandFailed& e) {
    return fail(e.status, e.message);
  } catch (const calkit::InputError& e) {
    return fail(kExitInput, e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    // create_directories and friends: name the path and the system's reason, nothing else.
    return fail(kExitWorld, fmt::format("{}: {}", e.path1().string(), e.code().message()));
  } catch (const std::bad_alloc&) {
    return fail(kExitWorld, "out of memory");
  } catch (const std::exception& e) {  // IoError, ProbeError, NetworkError and the like
    return fail(kExitWorld, e.what());
  }
  return kExitOk;
}
