// Stand-in for libFuzzer in the normal build: runs LLVMFuzzerTestOneInput on every file of a seed
// corpus, then on deterministic mutations of those seeds, so `make test` exercises the parsers
// on malformed input without clang. Usage: fuzz_<name> <corpus-dir> [mutations]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> read_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> paths;
  if (std::filesystem::is_directory(dir))
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.is_regular_file()) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> seeds;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    seeds.push_back(text.str());
  }
  return seeds;
}

// Tokens that steer mutations toward the interesting corners of CGATS, JSON and CSV.
const char* const kTokens[] = {"\n",
                               " ",
                               "\"",
                               "#",
                               ",",
                               "{",
                               "}",
                               "[",
                               "]",
                               ":",
                               "null",
                               "true",
                               "-",
                               ".",
                               "e",
                               "BEGIN_DATA",
                               "END_DATA",
                               "BEGIN_DATA_FORMAT",
                               "END_DATA_FORMAT",
                               "NUMBER_OF_SETS 100000000",
                               "NUMBER_OF_FIELDS 0",
                               "KEYWORD",
                               "nan",
                               "inf",
                               "-1e308",
                               "1e309",
                               "4.9e-324",
                               "-0",
                               "99999999999999999999",
                               "LUMINANCE_XYZ_CDM2 \"0 0 0\"",
                               "NORMALIZED_TO_Y_100 \"YES\"",
                               "SPECTRAL_BANDS \"100000\"",
                               "\"XYZ\": [",
                               "\"rgb\": [",
                               "\"spectrum\": {",
                               "\\u0000",
                               "LUT_3D_SIZE 65536",
                               "TITLE \"",
                               "DOMAIN_MIN",
                               "\xff\xfe",
                               "\r\n"};

std::string mutate(std::string s, const std::vector<std::string>& seeds, std::mt19937& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int steps = 1 + static_cast<int>(pick(4));
  for (int i = 0; i < steps; ++i) {
    size_t at = pick(s.size() + 1);
    switch (pick(7)) {
      case 0:  // flip a byte
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1:  // random byte
        s.insert(at, 1, static_cast<char>(pick(256)));
        break;
      case 2: {  // delete a range
        size_t n = pick(std::min<size_t>(s.size() - std::min(at, s.size()), 64) + 1);
        s.erase(std::min(at, s.size()), n);
        break;
      }
      case 3: {  // duplicate a range
        size_t from = pick(s.size() + 1);
        size_t n = pick(std::min<size_t>(s.size() - from, 128) + 1);
        s.insert(at, s.substr(from, n));
        break;
      }
      case 4:  // insert a token
        s.insert(at, kTokens[pick(sizeof kTokens / sizeof kTokens[0])]);
        break;
      case 5:  // truncate
        s.resize(at);
        break;
      default: {  // splice with another seed
        if (seeds.empty()) break;
        const std::string& other = seeds[pick(seeds.size())];
        size_t from = pick(other.size() + 1);
        s = s.substr(0, at) + other.substr(from);
        break;
      }
    }
  }
  return s;
}

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir> [mutations]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> seeds = read_corpus(argv[1]);
  long mutations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 3000;
  if (seeds.empty()) {
    std::fprintf(stderr, "%s: no seeds in %s, mutating an empty input only\n", argv[0], argv[1]);
    seeds.push_back("");
  }
  for (const std::string& seed : seeds) run(seed);
  std::mt19937 rng(20261121);  // fixed: a failure reproduces on every run
  for (long i = 0; i < mutations; ++i) {
    std::string input = mutate(seeds[i % static_cast<long>(seeds.size())], seeds, rng);
    run(input);
  }
  std::printf("%s: %zu seeds and %ld mutations ran without a crash\n", argv[0], seeds.size(), mutations);
  return 0;
}
