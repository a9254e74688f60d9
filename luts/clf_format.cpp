// Academy/ASC Common LUT Format (CLF 3.0, S-2014-006) read and written with pugixml. A LUT3D
// Array is stored blue index fastest (unlike .cube); a LUT1D Array is N rows of R G B. The
// domain becomes a Matrix node (scale and offset) before the LUT, the title the ProcessList
// name and first Description, metadata further Descriptions "calkit: key = value".
#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "luts/apply.hpp"
#include "luts/lut_format.hpp"
#include "luts/text_lines.hpp"

namespace calkit {
namespace {

struct ClfFile {
  std::string title;
  std::map<std::string, std::string> metadata;
  Vec3 domain_min = Vec3::Zero();
  Vec3 domain_max = Vec3::Ones();
  bool has_3d = false, has_1d = false;
  int size = 0;
  std::vector<Vec3> rows;  // file order
};

// CLF bit depths scale the array values: integer depths store code values.
double bit_depth_scale(const std::string& depth, const std::string& file, int line, const std::string& field) {
  if (depth == "32f" || depth == "16f" || depth.empty()) return 1.0;
  if (depth == "8i") return 255.0;
  if (depth == "10i") return 1023.0;
  if (depth == "12i") return 4095.0;
  if (depth == "16i") return 65535.0;
  throw InputError(file, line, field, "unknown bit depth '" + depth + "'");
}

// Line numbers of byte offsets, by binary search over where each line starts: one scan of the
// text, however many nodes ask (a rescan per node made 50,000 nodes take 43 s).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  int line_of(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    auto after = std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::size_t>(offset));
    return static_cast<int>(after - starts_.begin());
  }

 private:
  std::vector<std::size_t> starts_;
};

std::vector<double> parse_array(const pugi::xml_node& array, const std::string& file, int line) {
  std::istringstream in(array.child_value());
  std::vector<double> values;
  for (std::string w; in >> w;) values.push_back(parse_number(w, file, line, "Array"));
  return values;
}

std::vector<int> parse_dim(const pugi::xml_node& array, const std::string& file, int line) {
  std::istringstream in(array.attribute("dim").value());
  std::vector<int> dim;
  for (std::string w; in >> w;) {
    long v = parse_integer(w, file, line, "Array dim");
    if (v < 1 || v > 65536) throw InputError(file, line, "Array dim", "dimension out of range: " + w);
    dim.push_back(int(v));
  }
  return dim;
}

ClfFile parse_clf(const std::filesystem::path& path) {
  const std::string file = path.string();
  const std::string text = read_file_text(path);
  const LineIndex lines(text);
  pugi::xml_document doc;
  pugi::xml_parse_result ok = doc.load_buffer(text.data(), text.size());
  if (!ok) throw InputError(file, lines.line_of(ok.offset), "xml", ok.description());
  pugi::xml_node list = doc.child("ProcessList");
  if (!list) throw InputError(file, 0, "ProcessList", "not a CLF file: no ProcessList element");
  ClfFile clf;
  clf.title = list.attribute("name").value();
  for (pugi::xml_node d : list.children("Description")) {
    std::string key, value;
    if (parse_metadata_comment(d.child_value(), key, value))
      clf.metadata[key] = value;
    else if (clf.title.empty())
      clf.title = d.child_value();
  }
  for (pugi::xml_node node : list.children()) {
    const std::string name = node.name();
    const int line = lines.line_of(node.offset_debug());
    if (name == "Description" || name == "Info" || name == "InputDescriptor" || name == "OutputDescriptor") continue;
    if (clf.has_1d || clf.has_3d)
      throw InputError(file, line, name, "only one LUT node (optionally after one domain Matrix) is supported");
    if (name == "Matrix") {
      pugi::xml_node array = node.child("Array");
      std::vector<int> dim = parse_dim(array, file, line);
      std::vector<double> m = parse_array(array, file, line);
      const bool with_offset = dim.size() >= 2 && dim[1] == 4;
      const size_t cols = with_offset ? 4 : 3;
      if (dim.size() < 2 || dim[0] != 3 || (dim[1] != 3 && dim[1] != 4) || m.size() != 3 * cols)
        throw InputError(file, line, "Matrix Array", "expected a 3x3 or 3x4 matrix");
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
          if (r != c && m[r * cols + c] != 0)
            throw InputError(file, line, "Matrix", "only a diagonal matrix (the domain) is supported");
      for (int i = 0; i < 3; ++i) {
        double s = m[i * cols + i], o = with_offset ? m[i * cols + 3] : 0.0;
        if (!(s > 0)) throw InputError(file, line, "Matrix", "domain scale must be positive");
        clf.domain_min[i] = -o / s;  // s*x + o maps min -> 0 and max -> 1
        clf.domain_max[i] = (1 - o) / s;
      }
      continue;
    }
    if (name != "LUT3D" && name != "LUT1D")
      throw InputError(file, line, name, "unsupported ProcessNode (calkit reads Matrix, LUT1D, LUT3D)");
    const double scale = bit_depth_scale(node.attribute("outBitDepth").value(), file, line, "outBitDepth");
    pugi::xml_node array = node.child("Array");
    if (!array) throw InputError(file, line, name, "missing Array");
    std::vector<int> dim = parse_dim(array, file, line);
    std::vector<double> v = parse_array(array, file, line);
    size_t entries = 0;
    if (name == "LUT3D") {
      if (dim.size() != 4 || dim[0] != dim[1] || dim[1] != dim[2] || dim[3] != 3 || dim[0] < 2 || dim[0] > 256)
        throw InputError(file, line, "Array dim", "LUT3D needs dim=\"N N N 3\" with N in 2..256");
      clf.has_3d = true;
      clf.size = dim[0];
      entries = size_t(dim[0]) * dim[0] * dim[0];
    } else {
      if (dim.size() != 2 || dim[0] < 2 || (dim[1] != 3 && dim[1] != 1))
        throw InputError(file, line, "Array dim", "LUT1D needs dim=\"N 3\" or \"N 1\"");
      clf.has_1d = true;
      clf.size = dim[0];
      entries = size_t(dim[0]);
    }
    const size_t per = name == "LUT1D" && dim[1] == 1 ? 1 : 3;
    if (v.size() != entries * per)
      throw InputError(file, line, "Array", fmt::format("expected {} values, found {}", entries * per, v.size()));
    for (size_t i = 0; i < entries; ++i)
      clf.rows.push_back(per == 1 ? Vec3::Constant(v[i] / scale)
                                  : Vec3(v[3 * i] / scale, v[3 * i + 1] / scale, v[3 * i + 2] / scale));
    for (pugi::xml_node d : node.children("Description")) {
      std::string key, value;
      if (parse_metadata_comment(d.child_value(), key, value)) clf.metadata[key] = value;
    }
  }
  if (!clf.has_1d && !clf.has_3d) throw InputError(file, 0, "LUT3D", "no LUT1D or LUT3D node");
  return clf;
}

Lut3d read_clf_3d(const std::filesystem::path& path) {
  ClfFile clf = parse_clf(path);
  if (!clf.has_3d) throw InputError(path.string(), 0, "LUT3D", "file holds a 1D LUT, not a 3D LUT");
  Lut3d lut;
  lut.size = clf.size;
  lut.table.resize(clf.rows.size());
  const int n = clf.size;
  size_t k = 0;
  for (int r = 0; r < n; ++r)
    for (int g = 0; g < n; ++g)
      for (int b = 0; b < n; ++b) lut.at(r, g, b) = clf.rows[k++];
  take_header(lut, clf);
  return lut;
}

Lut1d read_clf_1d(const std::filesystem::path& path) {
  ClfFile clf = parse_clf(path);
  if (!clf.has_1d) throw InputError(path.string(), 0, "LUT1D", "file holds a 3D LUT, not a 1D LUT");
  Lut1d lut;
  lut.table = clf.rows;
  take_header(lut, clf);
  return lut;
}

pugi::xml_node start_clf(pugi::xml_document& doc, const std::string& title,
                         const std::map<std::string, std::string>& metadata, const Vec3& lo, const Vec3& hi) {
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node list = doc.append_child("ProcessList");
  list.append_attribute("id") = "calkit";
  if (!title.empty()) list.append_attribute("name") = title.c_str();
  list.append_attribute("compCLFversion") = "3";
  list.append_child("Description").text() = title.empty() ? "calkit LUT" : title.c_str();
  for (const auto& [k, v] : metadata) {
    std::string c = metadata_comment(k, v);  // "# calkit: k = v\n"
    list.append_child("Description").text() = c.substr(2, c.size() - 3).c_str();
  }
  if (lo != Vec3::Zero() || hi != Vec3::Ones()) {
    pugi::xml_node m = list.append_child("Matrix");
    m.append_attribute("id") = "domain";
    m.append_attribute("inBitDepth") = "32f";
    m.append_attribute("outBitDepth") = "32f";
    pugi::xml_node a = m.append_child("Array");
    a.append_attribute("dim") = "3 4";
    std::string rows = "\n";
    for (int r = 0; r < 3; ++r) {
      const double s = 1.0 / (hi[r] - lo[r]);
      for (int c = 0; c < 3; ++c) rows += fmt::format("{:.12g} ", r == c ? s : 0.0);
      rows += fmt::format("{:.12g}\n", -lo[r] * s);
    }
    a.text() = rows.c_str();
  }
  return list;
}

std::string rows_text(const std::vector<Vec3>& rows) {
  std::string out = "\n";
  for (const Vec3& v : rows) out += fmt::format("{:.9g} {:.9g} {:.9g}\n", v[0], v[1], v[2]);
  return out;
}

// One ProcessList holding the domain Matrix (when needed) and a single LUT node.
template <class Lut>
void write_clf(const std::filesystem::path& path, const Lut& lut, const char* node_name, const char* interpolation,
               const std::string& dim, const std::vector<Vec3>& rows) {
  pugi::xml_document doc;
  pugi::xml_node list = start_clf(doc, lut.title, lut.metadata, lut.domain_min, lut.domain_max);
  pugi::xml_node node = list.append_child(node_name);
  node.append_attribute("id") = "lut";
  node.append_attribute("inBitDepth") = "32f";
  node.append_attribute("outBitDepth") = "32f";
  node.append_attribute("interpolation") = interpolation;
  pugi::xml_node array = node.append_child("Array");
  array.append_attribute("dim") = dim.c_str();
  array.text() = rows_text(rows).c_str();
  std::ostringstream xml;
  doc.save(xml, "  ");
  write_file_atomically(path, xml.str());
}

void write_clf_3d(const std::filesystem::path& path, const Lut3d& lut, const LutWriteOptions&) {
  check_lut3d(lut, path.string());
  std::vector<Vec3> rows;  // CLF order: blue fastest
  rows.reserve(lut.table.size());
  for (int r = 0; r < lut.size; ++r)
    for (int g = 0; g < lut.size; ++g)
      for (int b = 0; b < lut.size; ++b) rows.push_back(lut.at(r, g, b));
  write_clf(path, lut, "LUT3D", "tetrahedral", fmt::format("{0} {0} {0} 3", lut.size), rows);
}

void write_clf_1d(const std::filesystem::path& path, const Lut1d& lut, const LutWriteOptions&) {
  check_lut1d(lut, path.string());
  write_clf(path, lut, "LUT1D", "linear", fmt::format("{} 3", lut.table.size()), lut.table);
}

}  // namespace

LutFormat clf_format() {
  return {"clf",          {".clf"},     "Academy/ASC Common LUT Format (XML)",
          "blue fastest", read_clf_3d,  write_clf_3d,
          read_clf_1d,    write_clf_1d, [](const std::filesystem::path& p) { return parse_clf(p).has_3d; }};
}

}  // namespace calkit
