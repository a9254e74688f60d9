#include "formats/mhl.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <pugixml.hpp>

#include "core/error.hpp"
#include "core/files.hpp"

namespace calkit {

namespace {

constexpr char kMhlNamespace[] = "urn:ASC:MHL:v2.0";
constexpr char kChainNamespace[] = "urn:ASC:MHL:DIRECTORY:v2.0";

// Hash formats of ASCMHL.xsd (v1.1) in the order its <hash> sequence requires, with the digest
// length in hex digits (C4 IDs are 90 characters of base58, ST 2114).
struct HashFormat {
  const char* name;
  std::size_t length;
};
constexpr HashFormat kHashFormats[] = {{"c4", 90},     {"md5", 32},  {"sha1", 40},
                                       {"xxh128", 32}, {"xxh3", 16}, {"xxh64", 16}};
constexpr const char* kActions[] = {"original", "verified", "failed"};
constexpr const char* kProcesses[] = {"in-place", "transfer", "flatten"};

const HashFormat* hash_format(std::string_view name) {
  for (const auto& f : kHashFormats)
    if (name == f.name) return &f;
  return nullptr;
}

std::size_t schema_rank(std::string_view format) {
  for (std::size_t i = 0; i < std::size(kHashFormats); ++i)
    if (format == kHashFormats[i].name) return i;
  return std::size(kHashFormats);
}

// An element's name without its namespace prefix ("a:hashlist" -> "hashlist"): the prefix is not
// normative (spec v1.0 §6.1).
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node find_child(const pugi::xml_node& parent, std::string_view element) {
  for (pugi::xml_node child : parent.children())
    if (child.type() == pugi::node_element && local_name(child) == element) return child;
  return {};
}

std::vector<pugi::xml_node> children_named(const pugi::xml_node& parent, std::string_view element) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : parent.children())
    if (child.type() == pugi::node_element && local_name(child) == element) out.push_back(child);
  return out;
}

template <std::size_t N>
bool one_of(std::string_view value, const char* const (&names)[N]) {
  return std::find(std::begin(names), std::end(names), value) != std::end(names);
}

// Line numbers from pugixml's byte offsets (offset_debug).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  int line_of(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::size_t>(offset));
    return static_cast<int>(it - starts_.begin()) + 1;
  }

 private:
  std::vector<std::size_t> starts_;
};

struct Reader {
  std::string name;
  LineIndex lines;

  int line(const pugi::xml_node& node) const { return lines.line_of(node.offset_debug()); }
  [[noreturn]] void fail(const pugi::xml_node& node, const std::string& field, const std::string& message) const {
    throw InputError(name, line(node), field, message);
  }
  pugi::xml_node child(const pugi::xml_node& parent, const char* element) const {
    pugi::xml_node node = find_child(parent, element);
    if (!node) fail(parent, element, fmt::format("<{}> has no <{}>", local_name(parent), element));
    return node;
  }
  std::string text(const pugi::xml_node& node, const std::string& field) const {
    std::string value = node.child_value();
    if (value.empty()) fail(node, field, "is empty");
    return value;
  }
};

pugi::xml_document load(std::string_view text, const Reader& reader) {
  pugi::xml_document doc;
  pugi::xml_parse_result ok = doc.load_buffer(text.data(), text.size());
  if (!ok)
    throw InputError(reader.name, reader.lines.line_of(ok.offset), "",
                     std::string("malformed XML: ") + ok.description());
  return doc;
}

pugi::xml_node root(const pugi::xml_document& doc, const char* element, const char* xml_namespace,
                    const Reader& reader) {
  pugi::xml_node node = doc.document_element();
  if (local_name(node) != element)
    throw InputError(reader.name, node ? reader.line(node) : 0, element,
                     fmt::format("the root element must be <{}>", element));
  std::string_view name = node.name();
  std::size_t colon = name.find(':');
  std::string declaration = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  if (std::string_view(node.attribute(declaration.c_str()).value()) != xml_namespace)
    reader.fail(node, declaration, fmt::format("must be {}", xml_namespace));
  return node;
}

bool all_digits(std::string_view s, std::size_t from, std::size_t to) {
  if (to > s.size()) return false;
  for (std::size_t i = from; i < to; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// xs:dateTime: YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM].
bool is_date_time(std::string_view s) {
  if (s.size() < 19 || !all_digits(s, 0, 4) || s[4] != '-' || !all_digits(s, 5, 7) || s[7] != '-' ||
      !all_digits(s, 8, 10) || s[10] != 'T' || !all_digits(s, 11, 13) || s[13] != ':' || !all_digits(s, 14, 16) ||
      s[16] != ':' || !all_digits(s, 17, 19))
    return false;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  std::string_view zone = s.substr(i);
  if (zone.empty() || zone == "Z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone, 1, 3) && zone[3] == ':' &&
         all_digits(zone, 4, 6);
}

std::string date_attribute(const pugi::xml_node& node, const char* name, const Reader& reader) {
  pugi::xml_attribute attribute = node.attribute(name);
  if (!attribute) return "";
  std::string value = attribute.value();
  if (!is_date_time(value)) reader.fail(node, name, "'" + value + "' is not an xs:dateTime");
  return value;
}

bool is_digest(const HashFormat& format, std::string_view value) {
  if (value.size() != format.length) return false;
  if (std::string_view(format.name) == "c4") {
    constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    return value.substr(0, 2) == "c4" && value.find_first_not_of(kBase58, 2) == std::string_view::npos;
  }
  return value.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

MhlHashValue read_hash_value(const pugi::xml_node& node, const Reader& reader) {
  const HashFormat* format = hash_format(local_name(node));
  std::string value = node.child_value();
  std::size_t first = value.find_first_not_of(" \t\r\n"), last = value.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) reader.fail(node, std::string(local_name(node)), "is empty");
  MhlHashValue hash{std::string(local_name(node)), value.substr(first, last - first + 1), "", ""};
  if (!is_digest(*format, hash.value))
    reader.fail(node, hash.format,
                fmt::format("'{}' is not a {} digest ({} characters)", hash.value, hash.format, format->length));
  if (std::string_view(format->name) != "c4")
    std::transform(hash.value.begin(), hash.value.end(), hash.value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  hash.action = node.attribute("action").value();
  if (!hash.action.empty() && !one_of(hash.action, kActions))
    reader.fail(node, "action", "'" + hash.action + "' is not original, verified or failed");
  hash.hash_date = date_attribute(node, "hashdate", reader);
  return hash;
}

// A manifest must not point outside its folder: relative, '/' separated, no "." or "..".
bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/' || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

std::uint64_t parse_size(const pugi::xml_node& node, const Reader& reader) {
  std::string_view text = node.attribute("size").value();
  std::uint64_t size = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    reader.fail(node, "size", fmt::format("'{}' is not a byte count", text));
  return size;
}

MhlFileHash read_file_hash(const pugi::xml_node& node, const Reader& reader) {
  MhlFileHash file;
  file.line = reader.line(node);
  pugi::xml_node path = reader.child(node, "path");
  file.path = reader.text(path, "path");
  if (!is_safe_relative_path(file.path))
    reader.fail(path, "path", "'" + file.path + "' is not a relative path inside the folder");
  if (path.attribute("size")) file.size = parse_size(path, reader);
  file.last_modification_date = date_attribute(path, "lastmodificationdate", reader);
  date_attribute(path, "creationdate", reader);
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view element = local_name(child);
    if (hash_format(element))
      file.hashes.push_back(read_hash_value(child, reader));
    else if (element != "path" && element != "previousPath" && element != "metadata")
      reader.fail(child, std::string(element), "is not an ASC MHL v2.0 hash (c4, md5, sha1, xxh128, xxh3, xxh64)");
  }
  if (file.hashes.empty()) reader.fail(node, "hash", "'" + file.path + "' has no hash element");
  return file;
}

void append_text(pugi::xml_node parent, const char* element, const std::string& value) {
  parent.append_child(element).text().set(value.c_str());
}

void append_hash(pugi::xml_node parent, const MhlHashValue& hash) {
  pugi::xml_node node = parent.append_child(hash.format.c_str());
  if (!hash.action.empty()) node.append_attribute("action") = hash.action.c_str();
  if (!hash.hash_date.empty()) node.append_attribute("hashdate") = hash.hash_date.c_str();
  node.text().set(hash.value.c_str());
}

std::string to_xml(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

pugi::xml_node start_document(pugi::xml_document& doc, const char* element, const char* xml_namespace) {
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node node = doc.append_child(element);
  node.append_attribute("xmlns") = xml_namespace;
  return node;
}

std::tm utc_time(std::time_t utc) {
  std::tm tm{};
  gmtime_r(&utc, &tm);
  return tm;
}

}  // namespace

const MhlHashValue* MhlFileHash::find(std::string_view format) const {
  for (const auto& hash : hashes)
    if (hash.format == format) return &hash;
  return nullptr;
}

std::string format_mhl(const MhlHashList& list) {
  pugi::xml_document doc;
  pugi::xml_node hashlist = start_document(doc, "hashlist", kMhlNamespace);
  hashlist.prepend_attribute("version") = "2.0";
  pugi::xml_node creator = hashlist.append_child("creatorinfo");
  append_text(creator, "creationdate", list.creation_date);
  append_text(creator, "hostname", list.hostname);
  pugi::xml_node tool = creator.append_child("tool");
  tool.append_attribute("version") = list.tool_version.c_str();
  tool.text().set(list.tool_name.c_str());
  for (const MhlAuthor& author : list.authors) {
    pugi::xml_node node = creator.append_child("author");
    if (!author.email.empty()) node.append_attribute("email") = author.email.c_str();
    if (!author.phone.empty()) node.append_attribute("phone") = author.phone.c_str();
    if (!author.role.empty()) node.append_attribute("role") = author.role.c_str();
    node.text().set(author.name.c_str());
  }
  if (!list.location.empty()) append_text(creator, "location", list.location);
  if (!list.comment.empty()) append_text(creator, "comment", list.comment);
  pugi::xml_node process = hashlist.append_child("processinfo");
  append_text(process, "process", list.process);
  if (!list.ignore_patterns.empty()) {
    pugi::xml_node ignore = process.append_child("ignore");
    for (const auto& pattern : list.ignore_patterns) append_text(ignore, "pattern", pattern);
  }
  if (!list.files.empty()) {
    pugi::xml_node hashes = hashlist.append_child("hashes");
    for (const auto& file : list.files) {
      pugi::xml_node hash = hashes.append_child("hash");
      pugi::xml_node path = hash.append_child("path");
      if (file.size) path.append_attribute("size") = static_cast<unsigned long long>(*file.size);
      if (!file.last_modification_date.empty())
        path.append_attribute("lastmodificationdate") = file.last_modification_date.c_str();
      path.text().set(file.path.c_str());
      std::vector<MhlHashValue> values = file.hashes;
      std::stable_sort(values.begin(), values.end(), [](const MhlHashValue& a, const MhlHashValue& b) {
        return schema_rank(a.format) < schema_rank(b.format);
      });
      for (const auto& value : values) append_hash(hash, value);
    }
  }
  return to_xml(doc);
}

MhlHashList parse_mhl(std::string_view text, const std::string& name) {
  Reader reader{name, LineIndex(text)};
  pugi::xml_document doc = load(text, reader);
  pugi::xml_node hashlist = root(doc, "hashlist", kMhlNamespace, reader);
  if (std::string_view(hashlist.attribute("version").value()) != "2.0") reader.fail(hashlist, "version", "must be 2.0");

  MhlHashList list;
  pugi::xml_node creator = reader.child(hashlist, "creatorinfo");
  pugi::xml_node creation_date = reader.child(creator, "creationdate");
  list.creation_date = reader.text(creation_date, "creationdate");
  if (!is_date_time(list.creation_date))
    reader.fail(creation_date, "creationdate", "'" + list.creation_date + "' is not an xs:dateTime");
  list.hostname = reader.child(creator, "hostname").child_value();
  pugi::xml_node tool = reader.child(creator, "tool");
  list.tool_name = tool.child_value();
  list.tool_version = tool.attribute("version").value();
  for (pugi::xml_node author : children_named(creator, "author"))
    list.authors.push_back({author.child_value(), author.attribute("email").value(), author.attribute("phone").value(),
                            author.attribute("role").value()});
  list.location = find_child(creator, "location").child_value();
  list.comment = find_child(creator, "comment").child_value();

  pugi::xml_node process_info = reader.child(hashlist, "processinfo");
  pugi::xml_node process = reader.child(process_info, "process");
  list.process = process.child_value();
  if (!one_of(list.process, kProcesses))
    reader.fail(process, "process", "'" + list.process + "' is not in-place, transfer or flatten");
  for (pugi::xml_node pattern : children_named(find_child(process_info, "ignore"), "pattern"))
    list.ignore_patterns.push_back(pattern.child_value());

  std::set<std::string> seen;
  for (pugi::xml_node hash : children_named(find_child(hashlist, "hashes"), "hash")) {
    MhlFileHash file = read_file_hash(hash, reader);
    if (!seen.insert(file.path).second) reader.fail(hash, "path", "'" + file.path + "' is listed twice");
    list.files.push_back(std::move(file));
  }
  return list;
}

MhlHashList read_mhl(const std::filesystem::path& path) { return parse_mhl(read_file_text(path), path.string()); }

std::string format_mhl_chain(const MhlChain& chain) {
  pugi::xml_document doc;
  pugi::xml_node directory = start_document(doc, "ascmhldirectory", kChainNamespace);
  for (const auto& generation : chain.generations) {
    pugi::xml_node hashlist = directory.append_child("hashlist");
    hashlist.append_attribute("sequencenr") = generation.sequence_number;
    append_text(hashlist, "path", generation.path);
    append_hash(hashlist, generation.hash);
  }
  return to_xml(doc);
}

MhlChain parse_mhl_chain(std::string_view text, const std::string& name) {
  Reader reader{name, LineIndex(text)};
  pugi::xml_document doc = load(text, reader);
  pugi::xml_node directory = root(doc, "ascmhldirectory", kChainNamespace, reader);
  MhlChain chain;
  std::set<int> seen;
  for (pugi::xml_node hashlist : children_named(directory, "hashlist")) {
    MhlChainEntry entry;
    entry.line = reader.line(hashlist);
    std::string_view number = hashlist.attribute("sequencenr").value();
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), entry.sequence_number);
    if (number.empty() || error != std::errc() || end != number.data() + number.size() || entry.sequence_number < 1)
      reader.fail(hashlist, "sequencenr", fmt::format("'{}' is not a positive integer", number));
    if (!seen.insert(entry.sequence_number).second)
      reader.fail(hashlist, "sequencenr", fmt::format("generation {} is listed twice", entry.sequence_number));
    pugi::xml_node path = reader.child(hashlist, "path");
    entry.path = reader.text(path, "path");
    if (!is_safe_relative_path(entry.path) || entry.path.find('/') != std::string::npos)
      reader.fail(path, "path", "'" + entry.path + "' is not a file name inside ascmhl/");
    pugi::xml_node hash;
    for (pugi::xml_node child : hashlist.children())
      if (child.type() == pugi::node_element && hash_format(local_name(child))) hash = child;
    if (!hash) reader.fail(hashlist, "c4", "generation has no hash of its manifest");
    entry.hash = read_hash_value(hash, reader);
    chain.generations.push_back(std::move(entry));
  }
  if (chain.generations.empty()) reader.fail(directory, "hashlist", "the chain lists no generation");
  return chain;
}

MhlChain read_mhl_chain(const std::filesystem::path& path) {
  return parse_mhl_chain(read_file_text(path), path.string());
}

std::string mhl_date_time(std::time_t utc) {
  std::tm tm = utc_time(utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int mhl_generation_of(std::string_view name) {
  if (name.size() < 4 || name.substr(name.size() - 4) != ".mhl") return 0;
  name.remove_suffix(4);
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits < 4 || digits > 9 || (digits < name.size() && name[digits] != '_')) return 0;
  int number = 0;
  std::from_chars(name.data(), name.data() + digits, number);
  return number;
}

std::string mhl_generation_file_name(int sequence_number, const std::string& folder_name, std::time_t utc) {
  std::tm tm = utc_time(utc);
  return fmt::format("{:04}_{}_{:04}-{:02}-{:02}_{:02}{:02}{:02}Z.mhl", sequence_number, folder_name, tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace calkit
