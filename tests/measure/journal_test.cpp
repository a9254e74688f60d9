// The journal: every reading survives exactly as written; torn, foreign or corrupt journals are
// handled as docs/files.md promises; a journal in use is refused to a second writer.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "measure/journal.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("measure-journal", name) / "meas.ti3.journal"; }

PatchSet three_patches() { return {"t", {Vec3(0, 0, 0), Vec3(0.5, 0.25, 1.0 / 3.0), Vec3(1, 1, 1)}}; }

JournalHeader header_of(const PatchSet& set) {
  return {patch_set_hash(set), static_cast<int>(set.rgb.size()), {{"display", "sim:woled-tv"}, {"probe", "SimProbe"}}};
}

JournalEntry entry(int index, const Vec3& rgb, const Vec3& XYZ) {
  JournalEntry e;
  e.index = index;
  e.reading.rgb = rgb;
  e.reading.XYZ = XYZ;
  e.time_s = 0.1 * (index + 1);
  return e;
}

void append_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("journal entries read back bit-identical, spectra included") {
  fs::path path = scratch("roundtrip");
  PatchSet set = three_patches();
  const JournalHeader header = header_of(set);
  {
    Journal j = Journal::create(path, header);
    JournalEntry a = entry(1, set.rgb[1], Vec3(0.1 / 3, 2.0 / 7, 1e-7));
    a.reading.spectrum = {380, 5, {0.1, 0.2, 1.0 / 3}};
    j.append(a);
    j.append(entry(0, set.rgb[0], Vec3(0.02, 0.021, 0.0234567890123)));
  }
  JournalContents c = read_journal(path);
  CHECK(c.header.patch_set_hash == header.patch_set_hash);
  CHECK(c.header.patch_count == 3);
  CHECK(c.header.rig == header.rig);
  CHECK(c.damage.empty());
  REQUIRE(c.entries.size() == 2);
  CHECK(c.entries[0].index == 1);
  CHECK(c.entries[0].reading.rgb == set.rgb[1]);
  CHECK(c.entries[0].reading.XYZ == Vec3(0.1 / 3, 2.0 / 7, 1e-7));
  CHECK(c.entries[0].reading.spectrum.values[2] == 1.0 / 3);
  CHECK(c.entries[1].reading.XYZ.z() == 0.0234567890123);
}

TEST_CASE("a torn last line is cut off before resumed appends") {
  fs::path path = scratch("torn");
  PatchSet set = three_patches();
  const JournalHeader header = header_of(set);
  {
    Journal j = Journal::create(path, header);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  }
  append_text(path, "{\"index\":1,\"rgb\":[0.5,0.2");  // the process died mid-write
  JournalContents torn = read_journal(path);
  CHECK(torn.entries.size() == 1);
  CHECK(torn.damage == "line 3 was cut off mid-write");
  std::vector<JournalEntry> done;
  {
    Journal j = Journal::resume(path, header, done);
    REQUIRE(done.size() == 1);
    j.append(entry(1, set.rgb[1], Vec3(20, 21, 22)));
  }
  CHECK_FALSE(fs::exists(path.string() + ".damaged"));  // a torn line was never a reading
  JournalContents c = read_journal(path);
  REQUIRE(c.entries.size() == 2);
  CHECK(c.damage.empty());
  CHECK(c.entries[1].index == 1);
  CHECK(c.entries[1].reading.XYZ == Vec3(20, 21, 22));
}

TEST_CASE("a journal of another patch set or rig is refused, naming each difference") {
  fs::path path = scratch("refuse");
  PatchSet set = three_patches();
  const JournalHeader header = header_of(set);
  {
    Journal j = Journal::create(path, header);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  }
  PatchSet other = set;
  other.rgb[2] = Vec3(1, 1, 0.999);
  CHECK(patch_set_hash(other) != header.patch_set_hash);
  JournalHeader now = header_of(other);
  now.rig["display"] = "sim:ips-lcd";
  now.rig["seed"] = "2";
  std::vector<std::string> differences = header_differences(header, now);
  REQUIRE(differences.size() == 3);
  CHECK(differences[0].rfind("patch set: was 3 patches (hash " + header.patch_set_hash + ")", 0) == 0);
  CHECK(differences[1] == "display: was 'sim:woled-tv', now 'sim:ips-lcd'");
  CHECK(differences[2] == "seed: was (none), now '2'");
  std::vector<JournalEntry> done;
  try {
    Journal::resume(path, now, done);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(e.field() == "rig");
    CHECK(std::string(e.what()).find("display: was 'sim:woled-tv', now 'sim:ips-lcd'") != std::string::npos);
  }
  CHECK_THROWS_AS(Journal::resume(path.string() + ".missing", header, done), InputError);
}

TEST_CASE("every single-bit flip of a reading's line is noticed, and the good prefix is kept") {
  fs::path path = scratch("flips");
  PatchSet set = three_patches();
  const JournalHeader header = header_of(set);
  {
    Journal j = Journal::create(path, header);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
    j.append(entry(1, set.rgb[1], Vec3(9.875, 10.5, 11.25)));
    j.append(entry(2, set.rgb[2], Vec3(95, 100, 108.9)));
  }
  const std::string original = test::read_file_bytes(path);
  const std::size_t second = original.find('\n', original.find('\n') + 1) + 1;  // line 3: patch 1
  const std::size_t end = original.find('\n', second) + 1;
  for (std::size_t byte = second; byte < end; ++byte)
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = original;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      test::write_file_bytes(path, flipped);
      JournalContents c = read_journal(path);
      CAPTURE(byte);
      CAPTURE(bit);
      REQUIRE(c.entries.size() == 1);  // patch 0 only
      CHECK(c.entries[0].reading.XYZ == Vec3(0.01, 0.01, 0.01));
      CHECK(c.damage.rfind("line 3 ", 0) == 0);
    }

  // A flipped header refuses the journal: nothing in it can be trusted.
  std::string header_flip = original;
  header_flip[10] = static_cast<char>(header_flip[10] ^ 4);
  test::write_file_bytes(path, header_flip);
  CHECK_THROWS_AS(read_journal(path), InputError);

  // On resume, the damaged lines are kept aside in <journal>.damaged and cut off.
  std::string damaged = original;
  damaged[second + 12] = static_cast<char>(damaged[second + 12] ^ 1);
  test::write_file_bytes(path, damaged);
  std::vector<JournalEntry> done;
  Journal::resume(path, header, done).close();
  CHECK(done.size() == 1);
  CHECK(test::read_file_bytes(path) == original.substr(0, second));
  CHECK(test::read_file_bytes(path.string() + ".damaged") == damaged.substr(second));
}

TEST_CASE("a repeated patch or a patch outside the set ends the good prefix") {
  PatchSet set = three_patches();
  const JournalHeader header = header_of(set);
  fs::path twice = scratch("twice");
  {
    Journal j = Journal::create(twice, header);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
    j.append(entry(1, set.rgb[1], Vec3(1, 1, 1)));
  }
  JournalContents c = read_journal(twice);
  CHECK(c.entries.size() == 1);
  CHECK(c.damage == "line 3 is not a reading of this patch set (patch 0 appears twice)");
  fs::path outside = scratch("outside");
  {
    Journal j = Journal::create(outside, header);
    j.append(entry(3, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  }
  CHECK(read_journal(outside).damage ==
        "line 2 is not a reading of this patch set (patch 3 is outside the patch set (0..2))");
}

// Two runs on the same output (a --resume typed in a second terminal while the first measures)
// used to write the one journal at once, each at its own offset over the other's lines, after the
// second had cut it to what it had read. The journal is locked while open.
TEST_CASE("a journal in use is refused to a second writer, here and in another process, and left as it was") {
  fs::path path = scratch("in-use");
  PatchSet set = three_patches();
  const JournalHeader header = header_of(set);
  Journal first = Journal::create(path, header);
  first.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  first.append(entry(1, set.rgb[1], Vec3(0.2, 0.21, 0.22)));
  const std::string before = test::read_file_bytes(path);

  auto refusal = [&](const std::function<void()>& second) {
    try {
      second();
    } catch (const InputError& e) {
      CHECK(e.file() == path.string());
      return e.message();
    }
    return std::string("not refused");
  };
  std::vector<JournalEntry> done;
  const std::string in_use = "another calkit is measuring into this journal now";
  CHECK(refusal([&] { Journal::resume(path, header, done); }).find(in_use) == 0);
  CHECK(refusal([&] { Journal::open(path, header, true, "session", done); }).find(in_use) == 0);
  CHECK(refusal([&] { Journal::open(path, header, false, "session", done); }).find(in_use) == 0);
  CHECK(refusal([&] { Journal::create(path, header); }).find(in_use) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(refusal([&] { Journal::resume(path, header, done); }).find(in_use) == 0 ? 0 : 1);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(test::read_file_bytes(path) == before);
  CHECK(done.empty());

  // The first goes on; once it is closed the journal can be resumed with all its readings.
  first.append(entry(2, set.rgb[2], Vec3(0.9, 1.0, 1.1)));
  first.close();
  Journal second = Journal::resume(path, header, done);
  CHECK(done.size() == 3);
}
