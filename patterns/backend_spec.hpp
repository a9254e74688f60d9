#pragma once
// The option part of a pattern backend spec: "name:key=value,key=value,flag". Shared by the
// network backends so that every spec reports a bad key or value the same way (InputError on the
// field "--pattern <key>").
#include <string>
#include <vector>

namespace calkit {

struct SpecOption {
  std::string key;
  std::string value;  // empty for a flag
};

std::vector<SpecOption> split_spec_options(const std::string& text);
int spec_int(const SpecOption& option, int lo, int hi);
double spec_double(const SpecOption& option, double lo, double hi);
[[noreturn]] void bad_spec_option(const SpecOption& option, const std::string& why);

}  // namespace calkit
