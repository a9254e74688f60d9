// The journal: every reading survives exactly as written; torn, foreign or corrupt journals are
// handled as the README promises.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "measure/journal.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("measure-journal", name) / "meas.ti3.journal"; }

PatchSet three_patches() { return {"t", {Vec3(0, 0, 0), Vec3(0.5, 0.25, 1.0 / 3.0), Vec3(1, 1, 1)}}; }

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
  std::string hash = patch_set_hash(set);
  {
    Journal j = Journal::create(path, hash, 3);
    JournalEntry a = entry(1, set.rgb[1], Vec3(0.1 / 3, 2.0 / 7, 1e-7));
    a.reading.spectrum = {380, 5, {0.1, 0.2, 1.0 / 3}};
    j.append(a);
    j.append(entry(0, set.rgb[0], Vec3(0.02, 0.021, 0.0234567890123)));
  }
  JournalContents c = read_journal(path);
  CHECK(c.patch_set_hash == hash);
  CHECK(c.patch_count == 3);
  REQUIRE(c.entries.size() == 2);
  CHECK(c.entries[0].index == 1);
  CHECK(c.entries[0].reading.rgb == set.rgb[1]);
  CHECK(c.entries[0].reading.XYZ == Vec3(0.1 / 3, 2.0 / 7, 1e-7));
  CHECK(c.entries[0].reading.spectrum.values[2] == 1.0 / 3);
  CHECK(c.entries[1].reading.XYZ.z() == 0.0234567890123);
}

TEST_CASE("a torn last line is ignored, and cut off before resumed appends") {
  fs::path path = scratch("torn");
  PatchSet set = three_patches();
  std::string hash = patch_set_hash(set);
  {
    Journal j = Journal::create(path, hash, 3);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  }
  append_text(path, "{\"index\":1,\"rgb\":[0.5,0.2");  // the process died mid-write
  CHECK(read_journal(path).entries.size() == 1);
  std::vector<JournalEntry> done;
  {
    Journal j = Journal::resume(path, hash, 3, done);
    REQUIRE(done.size() == 1);
    j.append(entry(1, set.rgb[1], Vec3(20, 21, 22)));
  }
  JournalContents c = read_journal(path);
  REQUIRE(c.entries.size() == 2);
  CHECK(c.entries[1].index == 1);
  CHECK(c.entries[1].reading.XYZ == Vec3(20, 21, 22));
}

TEST_CASE("a journal of another patch set, a corrupt middle line or a repeated patch is refused") {
  fs::path path = scratch("refuse");
  PatchSet set = three_patches();
  std::string hash = patch_set_hash(set);
  PatchSet other = set;
  other.rgb[2] = Vec3(1, 1, 0.999);
  CHECK(patch_set_hash(other) != hash);
  {
    Journal j = Journal::create(path, hash, 3);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  }
  std::vector<JournalEntry> done;
  CHECK_THROWS_AS(Journal::resume(path, patch_set_hash(other), 3, done), InputError);
  CHECK_THROWS_AS(Journal::resume(path.string() + ".missing", hash, 3, done), InputError);

  append_text(path, "not json\n");
  append_text(path, "{\"index\":1,\"rgb\":[0,0,0],\"XYZ\":[1,1,1],\"t\":1}\n");
  CHECK_THROWS_AS(read_journal(path), InputError);

  fs::path twice = scratch("twice");
  {
    Journal j = Journal::create(twice, hash, 3);
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
    j.append(entry(0, set.rgb[0], Vec3(0.01, 0.01, 0.01)));
  }
  try {
    read_journal(twice);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(e.line() == 3);
    CHECK(e.field() == "index");
  }
}
