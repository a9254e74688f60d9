#pragma once
// Measurement and patch files by extension: .ti3 (ArgyllCMS), .json (calkit), .csv; patch sets
// .ti1 or .json. Writes are atomic so an interrupted session never leaves a torn file.
#include <filesystem>
#include <functional>
#include <string>

#include "formats/measurement_set.hpp"

namespace calkit {

MeasurementSet read_measurements(const std::filesystem::path& path);
void write_measurements(const std::filesystem::path& path, const MeasurementSet& set);

PatchSet read_patches(const std::filesystem::path& path);  // .ti1 or .json
void write_patches(const std::filesystem::path& path, const PatchSet& patches);

// Writes content to a temp file in the same directory, fsyncs it, renames it over path and
// fsyncs the directory. Throws calkit::InputError naming path when the write fails.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);
// The same with content made by `make_content`; an InputError it throws without a file name
// (a value that cannot be written) is rethrown naming path.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<std::string()>& make_content);
// Reads a whole file; throws calkit::InputError naming path when it cannot be opened.
std::string read_file_text(const std::filesystem::path& path);

}  // namespace calkit
