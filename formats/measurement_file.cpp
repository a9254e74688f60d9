#include "formats/measurement_file.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "formats/measurement_csv.hpp"
#include "formats/measurement_json.hpp"
#include "formats/ti1.hpp"
#include "formats/ti3.hpp"

namespace calkit {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

[[noreturn]] void unknown_extension(const std::filesystem::path& path, const std::string& allowed) {
  throw InputError(path.string(), 0, "",
                   "unknown file extension '" + path.extension().string() + "' (use " + allowed + ")");
}

}  // namespace

MeasurementSet read_measurements(const std::filesystem::path& path) {
  std::string ext = lower_extension(path);
  if (ext == ".ti3") return read_ti3(path);
  if (ext == ".json") return read_measurement_json(path);
  if (ext == ".csv") return read_measurement_csv(path);
  unknown_extension(path, ".ti3, .json or .csv");
}

void write_measurements(const std::filesystem::path& path, const MeasurementSet& set) {
  std::string ext = lower_extension(path);
  if (ext == ".ti3") return write_ti3(path, set);
  if (ext == ".json") return write_measurement_json(path, set);
  if (ext == ".csv") return write_measurement_csv(path, set);
  unknown_extension(path, ".ti3, .json or .csv");
}

PatchSet read_patches(const std::filesystem::path& path) {
  std::string ext = lower_extension(path);
  if (ext == ".ti1") return read_ti1(path);
  if (ext == ".json") return read_patch_json(path);
  unknown_extension(path, ".ti1 or .json");
}

void write_patches(const std::filesystem::path& path, const PatchSet& patches) {
  std::string ext = lower_extension(path);
  if (ext == ".ti1") return write_ti1(path, patches);
  if (ext == ".json") return write_patch_json(path, patches);
  unknown_extension(path, ".ti1 or .json");
}

}  // namespace calkit
