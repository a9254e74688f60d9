#pragma once
// Where a calibration LUT can be put onto the display chain: one table of destinations, one row
// each (as the probe and pattern tables), used by `calkit upload` and `calkit calibrate --upload`.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "luts/lut.hpp"

namespace calkit {

struct UploadRequest {
  std::filesystem::path file;  // the LUT file, as written
  Lut3d lut;                   // its 3D LUT, read back from the file
  bool hdr = false;            // solved for a PQ target (LG: the BT.2020 slot, an HDR10 picture mode)
  std::function<void(const std::string&)> say;
};

struct UploadResult {
  std::string summary;             // one line: where it went and what to do next
  nlohmann::json details;          // for --json
  std::optional<Lut3d> held_lut;   // the LUT as the destination holds it, when it can be read back
};

struct UploadDestination {
  std::string name;   // "resolve", "lg"
  std::string usage;  // "resolve[:DIR]"
  std::string description;
  std::function<UploadResult(const std::string& argument, const UploadRequest&)> upload;
};

const std::vector<UploadDestination>& upload_destination_table();
std::string upload_usage();  // every row's usage, for --help

// "lg:192.168.1.18" → the lg row with "192.168.1.18"; ValueError for an unknown name.
UploadResult upload_lut(const std::string& spec, const UploadRequest& request);
// ValueError now (before any measuring) when `spec` names no destination or is malformed.
void check_upload_spec(const std::string& spec);

// Whether a calkit LUT was solved for a PQ target (its metadata says so).
bool lut_is_for_pq(const Lut3d& lut);

}  // namespace calkit
