#pragma once
// Reads the vector files in tests/data: '#' lines are provenance, the first other line is the
// header, fields are comma-separated (no quoting in these files).
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace calkit::test {

struct CsvRow {
  std::map<std::string, std::string> field;
  double num(const std::string& name) const { return std::stod(field.at(name)); }
  const std::string& str(const std::string& name) const { return field.at(name); }
};

inline std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

inline std::vector<CsvRow> read_vectors(const std::string& name) {
  std::ifstream in(std::string(CALKIT_TEST_DATA) + "/" + name);
  if (!in) throw std::runtime_error("cannot open " + name);
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto cells = split_commas(line);
    if (header.empty()) {
      header = cells;
      continue;
    }
    CsvRow row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row.field[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace calkit::test
