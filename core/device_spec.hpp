#pragma once
// The one grammar for devices named on the command line (probes, pattern generators): a head,
// then options separated by commas, each "key=value" or a bare flag:
//   --probe   emulated:i1d3,refresh=60       head "emulated:i1d3", options after the first ','
//   --probe   k10:/dev/ttyUSB0,mode=FACTORY  head "k10:/dev/ttyUSB0"
//   --pattern resolve:port=20002,allow=ADDR  head "resolve", options after the first ':'
// Errors are InputErrors on the field "<option> <key>", e.g. "field --pattern port: ...".
#include <string>
#include <string_view>
#include <vector>

namespace calkit {

struct SpecOption {
  std::string option;  // the command-line option the spec came from: "--probe", "--pattern"
  std::string key;
  std::string value;  // empty for a flag
};

// "key=value,flag,..." (empty items are skipped).
std::vector<SpecOption> split_spec_options(std::string_view text, const std::string& option);

[[noreturn]] void bad_spec_option(const SpecOption& option, const std::string& why);
int spec_int(const SpecOption& option, int lo, int hi);
double spec_double(const SpecOption& option, double lo, double hi);
bool spec_flag(const SpecOption& option);  // bare, yes, true, 1: true; no, false, 0: false

}  // namespace calkit
