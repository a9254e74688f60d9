// core/files.hpp is the one way calkit reads and writes files: every reader refuses what is not a
// regular file before it blocks or reads forever, and every command treats an output folder it
// cannot write the same way. Checked through the calkit program, as a user meets it.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/calkit_test_support.hpp"

using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

// Runs calkit with a time and memory limit, so that on a reader that blocks (a FIFO) or reads
// forever (/dev/zero) the test fails instead of hanging the suite or the machine.
CalkitOutput run_limited(const std::string& args) {
  return run_calkit(args, Stderr::Capture, "ulimit -v 2000000; timeout 20");
}

// A readable file of the right name that is `kind`: "fifo", "device" (a link to /dev/zero) or
// "folder".
fs::path special(const fs::path& dir, const std::string& kind, const std::string& name) {
  fs::path p = dir / (kind + "-" + name);
  if (kind == "fifo") REQUIRE(::mkfifo(p.c_str(), 0644) == 0);
  if (kind == "device") fs::create_symlink("/dev/zero", p);
  if (kind == "folder") fs::create_directory(p);
  return p;
}

}  // namespace

// Issue 15 item 3: a FIFO given as any input blocked forever; a link to /dev/zero was read to
// 3 GB and ended in bad_alloc with exit 1 and no file name; a folder got a wrong message.
TEST_CASE("a FIFO, a device or a folder given to any reader is refused at once, naming it, exit 2") {
  fs::path dir = scratch_dir("core-files", "special");
  const std::vector<std::pair<std::string, std::string>> readers = {
      {"lut info ", "lut.cube"}, {"lut info ", "lut.clf"},        {"lut info ", "lut.3dl"},
      {"lut info ", "lut.icc"},  {"display show ", "model.json"}, {"report ", "run.json"},
      {"convert ", "m.ti3"},     {"convert ", "m.json"},          {"probe match --reference ", "m.csv"},
  };
  for (const std::string kind : {"fifo", "device", "folder"}) {
    const std::string says = kind == "fifo" ? "is a FIFO" : kind == "device" ? "is a device" : "is a folder";
    for (const auto& [command, name] : readers) {
      fs::path input = special(dir, kind, name);
      std::string args = command + input.string();
      if (command == "convert ") args += " " + (dir / "out.csv").string();
      if (command.rfind("probe match", 0) == 0)
        args += " --colorimeter " + input.string() + " -o " + (dir / "c.ccmx").string();
      if (command == "report ") args += " -o " + (dir / "r.html").string();
      CAPTURE(args);
      CalkitOutput out = run_limited(args);
      CHECK(out.status == 2);
      CHECK(out.output == "calkit: " + input.string() + ": " + says + ", not a file\n");
    }
  }
}

// Issue 15 item 15: an output folder that cannot be written gave "filesystem error" with exit 1
// in solve, match, package and verify, and exit 2 in convert. Every command now says the same
// line, exit 1 (the world failed), before it does any work.
TEST_CASE("every command refuses an output folder it cannot write in the same words, exit 1") {
  fs::path dir = scratch_dir("core-files", "unwritable");
  REQUIRE(run_calkit("patches --set recommended --count 60 -o " + (dir / "set.ti1").string()).status == 0);
  REQUIRE(run_calkit("measure --quiet --probe sim --display sim:reference --patches " + (dir / "set.ti1").string() +
                     " -o " + (dir / "m.json").string())
              .status == 0);
  REQUIRE(run_calkit("lut convert " + std::string(CALKIT_TEST_DATA) + "/oracle_lut_2.cube " + (dir / "a.cube").string())
              .status == 0);
  fs::create_directory(dir / "package-src");
  fs::copy_file(dir / "a.cube", dir / "package-src" / "a.cube");
  // sysfs refuses to create anything, even for root, who passes every permission check.
  const std::string folder = "/sys/kernel/calkit-out", existing = "/sys/kernel";
  const std::string m = (dir / "m.json").string();
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"solve -q -m " + m + " -o " + folder, folder},
      {"solve -q -m " + m + " -o " + existing, existing},
      {"match --solve --reference " + m + " --display " + m + " -q -o " + folder, folder},
      {"package " + (dir / "package-src").string() + " -o " + folder, folder},
      {"verify --quiet --no-history --probe sim --display sim:reference --set greyscale -o " + existing, existing},
      {"calibrate --quiet --no-history --probe sim --display sim:reference -o " + folder, folder},
  };
  for (const auto& [args, path] : commands) {
    CAPTURE(args);
    CalkitOutput out = run_calkit(args, Stderr::Capture);
    CHECK(out.status == 1);
    CHECK(out.output.rfind("calkit: " + path + ": cannot ", 0) == 0);
    CHECK(std::count(out.output.begin(), out.output.end(), '\n') == 1);
  }
  // Single files: the same exit status and form, naming the file.
  for (const std::string& args : {"convert " + m + " " + existing + "/m.csv",
                                  "lut convert " + (dir / "a.cube").string() + " " + existing + "/a.clf",
                                  "display show sim:reference --save " + existing + "/model.json"}) {
    CAPTURE(args);
    CalkitOutput out = run_calkit(args, Stderr::Capture);
    CHECK(out.status == 1);
    CHECK(out.output.find(": cannot create a temporary file next to it: Permission denied") != std::string::npos);
  }
}
