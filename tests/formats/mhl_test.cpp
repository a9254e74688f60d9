// ASC MHL v2.0 manifests: the reference implementation's published example output parses to the
// values written in it; what calkit writes validates with xmllint against the ASC MHL schemas
// (tests/data/ascmhl/, from github.com/ascmitc/mhl) and carries the spec's element names;
// malformed manifests raise InputError naming file, line and field.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include <pugixml.hpp>

#include "core/files.hpp"
#include "formats/mhl.hpp"
#include "test_helpers.hpp"

using namespace calkit;
using calkit::test::error_of;
namespace fs = std::filesystem;

namespace {

const fs::path kMhlData = fs::path(CALKIT_TEST_DATA) / "ascmhl";

MhlHashList sample_list() {
  MhlHashList list;
  list.creation_date = "2026-11-21T09:15:07+00:00";
  list.hostname = "suite-b.local";
  list.tool_name = "calkit";
  list.tool_version = "0.1.0";
  list.ignore_patterns = {"ascmhl", "ascmhl/"};
  list.files = {
      {"calibration.cube",
       1234,
       "2026-11-20T18:00:00+00:00",
       {{"xxh64", "0ea03b369a463d9d", "original", "2026-11-21T09:15:07+00:00"},
        {"md5", "d41d8cd98f00b204e9800998ecf8427e", "original", "2026-11-21T09:15:07+00:00"}},
       0},
      {"verify/report & notes.html",
       0,
       "2026-11-20T18:00:01+00:00",
       {{"xxh64", "ef46db3751d8e999", "original", "2026-11-21T09:15:07+00:00"}},
       0},
  };
  return list;
}

// The manifest with one substring replaced, parsed; returns the error.
InputError error_after(const std::string& from, const std::string& to) {
  std::string text = format_mhl(sample_list());
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), to);
  return error_of([&] { parse_mhl(text, "bad.mhl"); });
}

int line_of(const std::string& text, const std::string& needle) {
  std::size_t at = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

}  // namespace

TEST_CASE("the ascmhl reference implementation's example manifest parses to its values") {
  MhlHashList list = read_mhl(kMhlData / "0002_A002R2EC_2020-01-17_143000.mhl");
  CHECK(list.creation_date == "2020-01-17T14:30:00+00:00");
  CHECK(list.hostname == "myHost.local");
  CHECK(list.tool_name == "ascmhl.py");
  CHECK(list.tool_version == "0.3 alpha");
  CHECK(list.process == "in-place");
  CHECK(list.ignore_patterns == std::vector<std::string>{".DS_Store", "ascmhl", "ascmhl/"});
  REQUIRE(list.files.size() == 3);  // the <directoryhash> is not a file
  CHECK(list.files[0].path == "Clips/A002C006_141024_R2EC.mov");
  CHECK(*list.files[0].size == 5);
  CHECK(list.files[0].last_modification_date == "2020-01-15T13:00:00+00:00");
  REQUIRE(list.files[0].find("xxh64"));
  CHECK(list.files[0].find("xxh64")->value == "0ea03b369a463d9d");
  CHECK(list.files[0].find("xxh64")->action == "verified");
  CHECK(list.files[0].find("xxh64")->hash_date == "2020-01-17T14:30:00+00:00");
  CHECK(list.files[0].line == 25);
  CHECK(list.files[2].path == "Sidecar.txt");
  CHECK(*list.files[2].size == 58);
  CHECK(list.files[2].find("xxh64")->value == "3ab5a4166b9bde44");
  CHECK(list.files[2].find("md5") == nullptr);
}

TEST_CASE("the ascmhl reference implementation's example chain parses to its generations") {
  MhlChain chain = read_mhl_chain(kMhlData / "ascmhl_chain.xml");
  REQUIRE(chain.generations.size() == 2);
  CHECK(chain.generations[0].sequence_number == 1);
  CHECK(chain.generations[1].sequence_number == 2);
  CHECK(chain.generations[1].path == "0002_A002R2EC_2020-01-17_143000.mhl");
  CHECK(chain.generations[1].hash.format == "c4");
  CHECK(chain.generations[1].hash.value ==
        "c4324Sd21A36oKs9BvNZQD5x96GVZsdU5B6BnTbfR4gSipyShYqhTNDsf8yA6nPeBcbfz2XBHyGERw2FeCpbprPpZd");
  CHECK(chain.generations[1].line == 7);
}

TEST_CASE("a written manifest and chain validate against the ASC MHL v2.0 schemas with xmllint") {
  if (!calkit::test::have_program("xmllint")) {
    MESSAGE("xmllint (libxml2-utils) not installed: schema validation skipped");
    return;
  }
  fs::path dir = calkit::test::scratch_dir("mhl-xmllint");
  write_file_atomically(dir / "0001_pkg_2026-11-21_091507Z.mhl", format_mhl(sample_list()));
  MhlChain chain;
  chain.generations.push_back({1, "0001_pkg_2026-11-21_091507Z.mhl", {"c4", "c4" + std::string(88, '1'), "", ""}, 0});
  write_file_atomically(dir / "ascmhl_chain.xml", format_mhl_chain(chain));
  const std::string xsd = (kMhlData / "ASCMHL.xsd").string();
  const std::string chain_xsd = (kMhlData / "ASCMHLDirectory.xsd").string();
  CHECK(calkit::test::run_in(dir, "xmllint --noout --nonet --schema '" + xsd + "' 0001_pkg_2026-11-21_091507Z.mhl") ==
        0);
  CHECK(calkit::test::run_in(dir, "xmllint --noout --nonet --schema '" + chain_xsd + "' ascmhl_chain.xml") == 0);
  // Negative control: the schema does reject a manifest without <processinfo>.
  std::string text = format_mhl(sample_list());
  std::size_t from = text.find("<processinfo>"), to = text.find("</processinfo>") + 14;
  calkit::test::write_text(dir / "broken.mhl", text.erase(from, to - from));
  CHECK(calkit::test::run_in(dir, "xmllint --noout --nonet --schema '" + xsd + "' broken.mhl") != 0);
}

TEST_CASE("a written manifest has the spec's elements and attributes, read back with pugixml") {
  std::string text = format_mhl(sample_list());
  pugi::xml_document doc;
  REQUIRE(doc.load_string(text.c_str()));
  pugi::xml_node hashlist = doc.child("hashlist");
  CHECK(std::string(hashlist.attribute("version").value()) == "2.0");
  CHECK(std::string(hashlist.attribute("xmlns").value()) == "urn:ASC:MHL:v2.0");
  CHECK(std::string(hashlist.child("creatorinfo").child_value("creationdate")) == "2026-11-21T09:15:07+00:00");
  CHECK(std::string(hashlist.child("creatorinfo").child_value("hostname")) == "suite-b.local");
  CHECK(std::string(hashlist.child("creatorinfo").child("tool").attribute("version").value()) == "0.1.0");
  CHECK(std::string(hashlist.child("processinfo").child_value("process")) == "in-place");
  pugi::xml_node hash = hashlist.child("hashes").child("hash");
  CHECK(std::string(hash.child_value("path")) == "calibration.cube");
  CHECK(hash.child("path").attribute("size").as_ullong() == 1234);
  CHECK(std::string(hash.child("path").attribute("lastmodificationdate").value()) == "2026-11-20T18:00:00+00:00");
  CHECK(std::string(hash.child_value("xxh64")) == "0ea03b369a463d9d");
  CHECK(std::string(hash.child("xxh64").attribute("action").value()) == "original");
  CHECK(std::string(hash.child("md5").attribute("hashdate").value()) == "2026-11-21T09:15:07+00:00");
  CHECK(std::string(hash.next_sibling("hash").child_value("path")) == "verify/report & notes.html");
}

TEST_CASE("manifest and chain round-trip through format and parse") {
  MhlHashList list = sample_list();
  MhlHashList back = parse_mhl(format_mhl(list), "x.mhl");
  CHECK(back.creation_date == list.creation_date);
  CHECK(back.ignore_patterns == list.ignore_patterns);
  REQUIRE(back.files.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(back.files[i].path == list.files[i].path);
    CHECK(back.files[i].size == list.files[i].size);
    REQUIRE(back.files[i].hashes.size() == list.files[i].hashes.size());
    for (const MhlHashValue& hash : list.files[i].hashes) {  // written in the schema's order
      REQUIRE(back.files[i].find(hash.format));
      CHECK(back.files[i].find(hash.format)->value == hash.value);
    }
  }
  std::string chain_text = read_file_text(kMhlData / "ascmhl_chain.xml");
  MhlChain chain = parse_mhl_chain(chain_text, "chain.xml");
  MhlChain chain_back = parse_mhl_chain(format_mhl_chain(chain), "again.xml");
  REQUIRE(chain_back.generations.size() == 2);
  CHECK(chain_back.generations[0].hash.value == chain.generations[0].hash.value);
}

TEST_CASE("generation file names and dates follow the ascmhl naming, in UTC") {
  const std::time_t t = 1795252507;  // `date -u -d '2026-11-21 09:15:07' +%s`
  CHECK(mhl_date_time(t) == "2026-11-21T09:15:07+00:00");
  CHECK(mhl_generation_file_name(1, "suiteB", t) == "0001_suiteB_2026-11-21_091507Z.mhl");
  CHECK(mhl_generation_file_name(12, "x", t) == "0012_x_2026-11-21_091507Z.mhl");
}

TEST_CASE("malformed manifests throw InputError naming file, line and field") {
  std::string text = format_mhl(sample_list());
  InputError e = error_after("0ea03b369a463d9d", "0ea03b369a463d9");
  CHECK(e.file() == "bad.mhl");
  CHECK(e.field() == "xxh64");
  CHECK(e.line() == line_of(text, "0ea03b369a463d9d"));
  CHECK(error_after("d41d8cd98f00b204e9800998ecf8427e", "z41d8cd98f00b204e9800998ecf8427e").field() == "md5");
  CHECK(error_after(">calibration.cube<", ">../calibration.cube<").field() == "path");
  CHECK(error_after(">calibration.cube<", ">/etc/passwd<").field() == "path");
  CHECK(error_after(">verify/report &amp; notes.html<", ">calibration.cube<").field() == "path");  // twice
  CHECK(error_after("size=\"1234\"", "size=\"12x\"").field() == "size");
  CHECK(error_after("2026-11-20T18:00:00+00:00", "yesterday").field() == "lastmodificationdate");
  CHECK(error_after("action=\"original\"", "action=\"maybe\"").field() == "action");
  CHECK(error_after("<process>in-place", "<process>teleport").field() == "process");
  CHECK(error_after("version=\"2.0\"", "version=\"1.1\"").field() == "version");
  CHECK(error_after("urn:ASC:MHL:v2.0", "urn:other").field() == "xmlns");
  CHECK(error_after("<creatorinfo>", "<creator>").line() > 0);
  InputError broken = error_after("</hashes>", "</hash>");
  CHECK(broken.line() == line_of(text, "</hashes>"));
  CHECK(std::string(broken.what()).find("malformed XML") != std::string::npos);
  CHECK(error_of([] { parse_mhl("", "empty.mhl"); }).file() == "empty.mhl");
}

TEST_CASE("malformed chains throw InputError naming the field") {
  std::string text = read_file_text(kMhlData / "ascmhl_chain.xml");
  auto error_with = [&](const std::string& from, const std::string& to) {
    std::string bad = text;
    bad.replace(bad.find(from), from.size(), to);
    return error_of([&] { parse_mhl_chain(bad, "chain.xml"); });
  };
  CHECK(error_with("sequencenr=\"2\"", "sequencenr=\"1\"").field() == "sequencenr");
  CHECK(error_with("sequencenr=\"2\"", "sequencenr=\"-2\"").field() == "sequencenr");
  CHECK(error_with("<path>0002", "<path>../0002").field() == "path");
  CHECK(error_with("c4324Sd21", "c4324Sd20").field() == "c4");   // '0' is not base58
  CHECK(error_with("<c4>c4324", "<c4>c4324x").field() == "c4");  // 91 characters
  CHECK(error_with("DIRECTORY", "OTHER").field() == "xmlns");
  InputError e = error_with("<c4>c4324", "<c4>c4324x");
  CHECK(e.line() == 9);
}

TEST_CASE(
    "creator info round-trips, namespace prefixes are read (spec v1.0 6.1), xxh32 and action new are not ASC MHL") {
  MhlHashList list = sample_list();
  list.authors = {{"Ann Op", "ann@example.com", "", "DIT"}};
  list.location = "Suite A";
  list.comment = "first pass";
  std::string text = format_mhl(list);
  // The schema's order in <creatorinfo> and in <hash>: md5 before xxh64 whatever the input order.
  CHECK(text.find("<tool") < text.find("<author"));
  CHECK(text.find("<author") < text.find("<location>"));
  CHECK(text.find("<md5") < text.find("<xxh64"));
  MhlHashList back = parse_mhl(text, "x.mhl");
  REQUIRE(back.authors.size() == 1);
  CHECK(back.authors[0].name == "Ann Op");
  CHECK(back.authors[0].email == "ann@example.com");
  CHECK(back.authors[0].role == "DIT");
  CHECK(back.location == "Suite A");
  CHECK(back.comment == "first pass");

  std::string prefixed = text;
  for (std::size_t at = 0; (at = prefixed.find('<', at)) != std::string::npos; ++at) {
    if (prefixed[at + 1] == '?') continue;
    prefixed.insert(at + (prefixed[at + 1] == '/' ? 2 : 1), "a:");
  }
  prefixed.replace(prefixed.find("xmlns="), 6, "xmlns:a=");
  CHECK(parse_mhl(prefixed, "prefixed.mhl").files.size() == list.files.size());

  std::string xxh32 = text;
  xxh32.replace(xxh32.find("<md5"), 4, "<xxh32");
  xxh32.replace(xxh32.find("</md5>"), 6, "</xxh32>");
  CHECK_THROWS_AS(parse_mhl(xxh32, "x.mhl"), InputError);
  std::string action_new = text;
  action_new.replace(action_new.find("action=\"original\""), 17, "action=\"new\"");
  CHECK_THROWS_AS(parse_mhl(action_new, "x.mhl"), InputError);
}

TEST_CASE("generation numbers come from manifest file names as ascmhl reads them") {
  CHECK(mhl_generation_of("0001_pkg_2026-11-21_091507Z.mhl") == 1);
  CHECK(mhl_generation_of("0002_A002R2EC_2020-01-17_143000.mhl") == 2);
  CHECK(mhl_generation_of("10000_x.mhl") == 10000);
  CHECK(mhl_generation_of("0003.mhl") == 3);
  CHECK(mhl_generation_of("123_x.mhl") == 0);
  CHECK(mhl_generation_of("0001x.mhl") == 0);
  CHECK(mhl_generation_of("0001_pkg.xml") == 0);
}
